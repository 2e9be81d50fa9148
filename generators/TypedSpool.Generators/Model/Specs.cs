using System;

namespace TypedSpool.Generators.Model
{
    /// <summary>Which attribute made the method a task.</summary>
    internal enum TaskKind
    {
        Spool,
        Raw,
        Forever,
    }

    /// <summary>What the task method returns.</summary>
    internal enum ReturnShape
    {
        Void,
        Task,
        ValueTask,
        Result,
        TaskOfResult,
        ValueTaskOfResult,
    }

    /// <summary>How one parameter travels: a payload key, the body, or injected at run time.</summary>
    internal enum ParameterKind
    {
        Text,
        Bytes,
        Boolean,
        Parsable,
        DateTime,
        DateTimeOffset,
        TimeSpan,
        Enum,
        Json,
        BodyBytes,
        BodyMemory,
        BodyText,
        BodyJson,
        CancellationToken,
        Context,
        Service,
    }

    /// <summary>A containing type, outermost first, as the emitter re-declares it.</summary>
    internal sealed record ContainerSpec(string Keyword, string Name);

    /// <summary>One parameter of a task method.</summary>
    /// <param name="Name">The C# parameter name, escaped if it is a keyword.</param>
    /// <param name="Key">The payload key (the parameter name as written).</param>
    /// <param name="Type">The parameter's type, fully qualified with <c>global::</c>, including nullability.</param>
    /// <param name="ValueType">The type the reader decodes (the underlying type of a nullable value type).</param>
    /// <param name="Kind">How it travels.</param>
    /// <param name="IsOptional">An absent key means null (nullable types).</param>
    /// <param name="Format">The invariant format string for formattable values, if any.</param>
    /// <param name="DefaultValue">The C# default value expression of an optional parameter, if it has one.</param>
    internal sealed record ParameterSpec(string Name, string Key, string Type, string ValueType, ParameterKind Kind, bool IsOptional, string? Format, string? DefaultValue)
    {
        public bool IsPayload => Kind is not (ParameterKind.CancellationToken or ParameterKind.Context or ParameterKind.Service);
    }

    /// <summary>Everything the emitter needs to write one task's stub and invoker; plain data only.</summary>
    /// <param name="Namespace">The namespace as written in code (keywords escaped with @), or empty.</param>
    /// <param name="MethodName">The method's name, unescaped (for names of generated members and hints).</param>
    /// <param name="MethodIdentifier">The method's name as an identifier in code (keywords escaped with @).</param>
    internal sealed record SpoolMethodSpec(
        string Namespace,
        EquatableArray<ContainerSpec> Containers,
        string ContainingType,
        string MethodName,
        string MethodIdentifier,
        string WireName,
        TaskKind Kind,
        ReturnShape Return,
        bool IsStatic,
        bool IsPublic,
        EquatableArray<ParameterSpec> Parameters,
        string? JsonContext,
        string DisplayName,
        string HintName,
        int? TimerSeconds = null,
        string? Cron = null)
    {
        public string InvokerName => "__Invoke_" + MethodName;

        /// <summary>Fully qualified name of the generated nested class that holds the stub and invoker.</summary>
        public string StubClass => ContainingType + ".Spool";
    }
}
