using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators.Diagnostics;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>
    /// Reports every rule a spool task breaks: the generator skips such a method silently, and this analyzer says
    /// why. Both ask <see cref="Parsing.SpoolRules"/>, so they cannot disagree. Generator failures (TSPOOL099) are the
    /// generator's own.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SpoolTaskAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.NotPartial,
            DiagnosticDescriptors.UnsupportedReturnType,
            DiagnosticDescriptors.BadReturnCode,
            DiagnosticDescriptors.UnsupportedParameterType,
            DiagnosticDescriptors.JsonContextRequired,
            DiagnosticDescriptors.BulkParameterNotBody,
            DiagnosticDescriptors.MultipleBodies,
            DiagnosticDescriptors.ReservedParameterName,
            DiagnosticDescriptors.DuplicateWireName,
            DiagnosticDescriptors.ArgumentTooLarge,
            DiagnosticDescriptors.InvalidTaskMethod,
            DiagnosticDescriptors.InvalidWireName,
            DiagnosticDescriptors.InvalidBody,
            DiagnosticDescriptors.InvalidSchedule);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(TaskMethodChecks.Analyze, SymbolKind.Method);
            context.RegisterOperationAction(NestedFunctionChecks.Analyze, OperationKind.LocalFunction, OperationKind.AnonymousFunction);
            context.RegisterOperationBlockStartAction(ReturnCodeChecks.Start);
            context.RegisterOperationAction(StubCallChecks.Analyze, OperationKind.Invocation);
            context.RegisterCompilationStartAction(DuplicateNameChecks.Start);
        }
    }
}
