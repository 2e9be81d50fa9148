namespace TypedSpool.Generators
{
    /// <summary>
    /// Metadata names of the runtime types the generator recognises. The generator never references the runtime
    /// assembly; a test checks each constant against typeof(...).FullName.
    /// </summary>
    internal static class KnownNames
    {
        public const string SpoolAttribute = "TypedSpool.SpoolAttribute";
        public const string SpoolRawAttribute = "TypedSpool.SpoolRawAttribute";
        public const string SpoolForeverAttribute = "TypedSpool.SpoolForeverAttribute";
        public const string TimerAttribute = "TypedSpool.TimerAttribute";
        public const string CronAttribute = "TypedSpool.CronAttribute";
        public const string BodyAttribute = "TypedSpool.BodyAttribute";
        public const string FromServicesAttribute = "TypedSpool.FromServicesAttribute";
        public const string SpoolJsonContextAttribute = "TypedSpool.SpoolJsonContextAttribute";
        public const string SpoolContext = "TypedSpool.SpoolContext";
        public const string SpoolResult = "TypedSpool.SpoolResult";
        public const string SpoolOptions = "TypedSpool.SpoolOptions";

        public const string CancellationToken = "System.Threading.CancellationToken";
        public const string Task = "System.Threading.Tasks.Task";
        public const string TaskOfT = "System.Threading.Tasks.Task`1";
        public const string ValueTask = "System.Threading.Tasks.ValueTask";
        public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
        public const string ReadOnlyMemoryOfT = "System.ReadOnlyMemory`1";
        public const string Stream = "System.IO.Stream";
        public const string Guid = "System.Guid";
        public const string DateTime = "System.DateTime";
        public const string DateTimeOffset = "System.DateTimeOffset";
        public const string TimeSpan = "System.TimeSpan";
        public const string DateOnly = "System.DateOnly";
        public const string TimeOnly = "System.TimeOnly";
        public const string IEnumerableOfT = "System.Collections.Generic.IEnumerable`1";
        public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    }
}
