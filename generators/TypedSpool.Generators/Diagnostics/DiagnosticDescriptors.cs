using Microsoft.CodeAnalysis;

namespace TypedSpool.Generators.Diagnostics
{
    /// <summary>Every diagnostic of TypedSpool, with fixed IDs; each has a help page under docs/diagnostics/.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "TypedSpool";
        private const string HelpBase = "https://github.com/typedspool/typedspool/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor NotPartial = Create(DiagnosticIds.NotPartial, "Spool task's containing type must be partial",
            "Type '{0}' holds the spool task '{1}' and must be declared partial, so that the generator can add its Spool stubs", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(DiagnosticIds.UnsupportedReturnType, "Unsupported return type of a spool task",
            "Spool task '{0}' returns '{1}': {2}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor BadReturnCode = Create(DiagnosticIds.BadReturnCode, "Spool task returns an undefined result code",
            "Spool task '{0}' returns {1}, which is not a SpoolResult (Ok = -2, Retry = -1, Ignore = 0, RunAgain = 1); uWSGI would treat it as a retry", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Create(DiagnosticIds.UnsupportedParameterType, "Unsupported spool task parameter",
            "Parameter '{0}' of spool task '{1}' has type '{2}', which cannot be sent in a spool file: {3}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor JsonContextRequired = Create(DiagnosticIds.JsonContextRequired, "Spool task parameter needs a JSON serializer context",
            "Parameter '{0}' of spool task '{1}' has type '{2}', which is sent as JSON: declare [JsonSerializable(typeof({2}))] on a partial class deriving from JsonSerializerContext and name it with [SpoolJsonContext(typeof(ThatContext))] on '{3}' or on the assembly",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor BulkParameterNotBody = Create(DiagnosticIds.BulkParameterNotBody, "Bulk spool task parameter should be the body",
            "Parameter '{0}' of spool task '{1}' has the bulk type '{2}' and is sent in a key, where the whole task is limited to 64 KB; mark it [Body] to send it as the body, which has no limit",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor MultipleBodies = Create(DiagnosticIds.MultipleBodies, "A spool task has one body",
            "Spool task '{0}' marks more than one parameter [Body] ('{1}'); a spool file has a single body", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor ReservedParameterName = Create(DiagnosticIds.ReservedParameterName, "Spool task parameter uses a reserved key",
            "Parameter '{0}' of spool task '{1}' would be sent under the key '{0}', which uWSGI or TypedSpool reserve; rename the parameter", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor DuplicateWireName = Create(DiagnosticIds.DuplicateWireName, "Two spool tasks have the same name",
            "Spool task name '{0}' is used by both '{1}' and '{2}'; a queued task would run the wrong method. Pin distinct names with [Spool(Name = \"...\")].",
            DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor ArgumentTooLarge = Create(DiagnosticIds.ArgumentTooLarge, "Spool task arguments exceed 64 KB",
            "The arguments of this call to '{0}' encode to {1} bytes of keys and values, over the 65535-byte limit of a spool file; the enqueue will throw. Send large data as the [Body].",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InvalidTaskMethod = Create(DiagnosticIds.InvalidTaskMethod, "Method cannot be a spool task",
            "'{0}' cannot be a spool task: {1}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidWireName = Create(DiagnosticIds.InvalidWireName, "Invalid spool task name",
            "Spool task '{0}' has an invalid name: {1}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidBody = Create(DiagnosticIds.InvalidBody, "Invalid [Body] parameter",
            "Parameter '{0}' of spool task '{1}' cannot be the body: {2}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidSchedule = Create(DiagnosticIds.InvalidSchedule, "Invalid task schedule",
            "Scheduled task '{0}' cannot run: {1}", DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor GeneratorFailed = Create(DiagnosticIds.GeneratorFailed, "The TypedSpool generator failed",
            "The TypedSpool generator failed on '{0}': {1}. Please report this, with the code that triggers it.", DiagnosticSeverity.Error);

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, params string[] tags)
            => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md", customTags: tags);
    }

    /// <summary>The diagnostic IDs, public so that the code fixes (another assembly) can name them; the descriptors use them too.</summary>
    public static class DiagnosticIds
    {
        /// <summary>TSPOOL001.</summary>
        public const string NotPartial = "TSPOOL001";

        /// <summary>TSPOOL002.</summary>
        public const string UnsupportedReturnType = "TSPOOL002";

        /// <summary>TSPOOL003.</summary>
        public const string BadReturnCode = "TSPOOL003";

        /// <summary>TSPOOL004.</summary>
        public const string UnsupportedParameterType = "TSPOOL004";

        /// <summary>TSPOOL005.</summary>
        public const string JsonContextRequired = "TSPOOL005";

        /// <summary>TSPOOL006.</summary>
        public const string BulkParameterNotBody = "TSPOOL006";

        /// <summary>TSPOOL007.</summary>
        public const string MultipleBodies = "TSPOOL007";

        /// <summary>TSPOOL008.</summary>
        public const string ReservedParameterName = "TSPOOL008";

        /// <summary>TSPOOL009.</summary>
        public const string DuplicateWireName = "TSPOOL009";

        /// <summary>TSPOOL010.</summary>
        public const string ArgumentTooLarge = "TSPOOL010";

        /// <summary>TSPOOL011.</summary>
        public const string InvalidTaskMethod = "TSPOOL011";

        /// <summary>TSPOOL012.</summary>
        public const string InvalidWireName = "TSPOOL012";

        /// <summary>TSPOOL013.</summary>
        public const string InvalidBody = "TSPOOL013";

        /// <summary>TSPOOL014.</summary>
        public const string InvalidSchedule = "TSPOOL014";

        /// <summary>TSPOOL099.</summary>
        public const string GeneratorFailed = "TSPOOL099";
    }
}
