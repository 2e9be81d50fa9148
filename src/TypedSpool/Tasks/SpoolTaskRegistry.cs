using System.Collections.Concurrent;
using System.ComponentModel;

namespace TypedSpool;

/// <summary>
/// Every task known to this process. Each assembly with <c>[Spool]</c> methods registers its generated table from a
/// module initializer, which runs the first time anything in that assembly is used. A worker whose tasks live in a
/// library it does not otherwise touch before it starts calls <see cref="Include"/> once with any type of that library.
/// </summary>
public static class SpoolTaskRegistry
{
    private static readonly ConcurrentDictionary<string, SpoolTaskDescriptor> s_tasks = new(StringComparer.Ordinal);

    /// <summary>Adds tasks; called by generated code. A wire name registered twice by different methods throws.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(params SpoolTaskDescriptor[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks)
        {
            var existing = s_tasks.GetOrAdd(task.Name, task);
            if (!ReferenceEquals(existing, task) && existing.Method != task.Method)
            {
                throw new InvalidOperationException(
                    $"Spool task name '{task.Name}' is used by both {existing.Method} and {task.Method}; pin distinct names with [Spool(Name = \"...\")].");
            }
        }
    }

    /// <summary>Registers the tasks of the assembly that declares <paramref name="anyTypeOfTheAssembly"/> (runs its module initializer).</summary>
    public static void Include(Type anyTypeOfTheAssembly)
    {
        ArgumentNullException.ThrowIfNull(anyTypeOfTheAssembly);
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(anyTypeOfTheAssembly.Module.ModuleHandle);
    }

    /// <summary>Finds the task registered under a wire name.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SpoolTaskDescriptor? task)
        => s_tasks.TryGetValue(name, out task);

    /// <summary>All registered tasks, sorted by wire name.</summary>
    public static IReadOnlyList<SpoolTaskDescriptor> All => [.. s_tasks.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
}
