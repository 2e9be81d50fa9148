namespace TypedSpool.Benchmarks.EndToEnd.Systems;

/// <summary>The names in the table and in results.json.</summary>
internal static class SystemNames
{
    public const string TypedSpoolDurable = "typedspool-durable";
    public const string TypedSpoolFast = "typedspool-fast";
    public const string Uwsgi = "uwsgi";
    public const string HangfireSqlite = "hangfire-sqlite";
    public const string HangfireInMemory = "hangfire-inmemory";

    public static readonly string[] All = [TypedSpoolDurable, TypedSpoolFast, Uwsgi, HangfireSqlite, HangfireInMemory];
}
