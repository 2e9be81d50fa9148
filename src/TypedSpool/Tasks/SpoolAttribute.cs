namespace TypedSpool;

/// <summary>
/// Makes a method a spool task (uwsgidecorators' <c>@spool</c>): the generator adds an enqueue stub
/// <c>Type.Spool.Method(...)</c> and a dispatch entry. The run is OK unless the method throws; a throw is retried
/// under the worker's retry policy. Returns <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SpoolAttribute : Attribute
{
    /// <summary>The wire name (<c>ud_spool_func</c>); the method name by default. Pin it so that renaming the method never strands queued tasks.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A spool task whose method decides the outcome (uwsgidecorators' <c>@spoolraw</c>): it returns a
/// <see cref="SpoolResult"/> (or a <see cref="Task{TResult}"/>/<see cref="ValueTask{TResult}"/> of one).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SpoolRawAttribute : Attribute
{
    /// <summary>The wire name (<c>ud_spool_func</c>); the method name by default.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// A spool task that runs again after every run (uwsgidecorators' <c>@spoolforever</c>), at each full scan, until
/// it fails past the retry policy or its file is removed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SpoolForeverAttribute : Attribute
{
    /// <summary>The wire name (<c>ud_spool_func</c>); the method name by default.</summary>
    public string? Name { get; set; }
}

/// <summary>Sends this parameter (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c> or <c>string</c>) as the task body instead of a key: no 64 KB limit. At most one per task.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class BodyAttribute : Attribute
{
}

/// <summary>Resolves this parameter from the worker's service provider when the task runs; it is not part of the payload.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class FromServicesAttribute : Attribute
{
}

/// <summary>
/// Names the <c>System.Text.Json</c> source-generated context (a <c>JsonSerializerContext</c>) that serializes payload
/// parameters of types TypedSpool does not encode itself. Put it on the class holding the tasks or on the assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, Inherited = false)]
public sealed class SpoolJsonContextAttribute(Type contextType) : Attribute
{
    /// <summary>The context type; it must derive from <c>JsonSerializerContext</c> and have a static <c>Default</c>.</summary>
    public Type ContextType { get; } = contextType;
}

/// <summary>
/// Runs the task every <see cref="Seconds"/> seconds (uwsgidecorators' <c>@timer</c>), on slots aligned to the Unix
/// epoch so that every worker process agrees on them; each slot runs once across all processes of a spool. The task
/// takes no payload (only injected parameters). Implies <see cref="SpoolAttribute"/> unless another task attribute is present.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TimerAttribute(int seconds) : Attribute
{
    /// <summary>The interval in seconds (1 or more).</summary>
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Runs the task on a cron schedule (uwsgidecorators' <c>@cron</c>), in UTC: five fields (minute hour day month
/// weekday), or six with seconds first. Each slot runs once across all worker processes of a spool. The task takes no
/// payload (only injected parameters). Implies <see cref="SpoolAttribute"/> unless another task attribute is present.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class CronAttribute(string expression) : Attribute
{
    /// <summary>The cron expression.</summary>
    public string Expression { get; } = expression;
}
