using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>A task attribute on a local function or lambda: the generator never sees those, so say so.</summary>
    internal static class NestedFunctionChecks
    {
        public static void Analyze(OperationAnalysisContext context)
        {
            var (function, location) = context.Operation switch
            {
                ILocalFunctionOperation local => (local.Symbol, SyntaxLocations.Name(local.Symbol)),
                IAnonymousFunctionOperation lambda => (lambda.Symbol, (Location?)null),
                _ => (null!, null),
            };
            if (function is null) return;
            var attributes = SpoolRules.TaskAttributes(function);
            if (attributes.Length == 0 || SpoolRules.ShapeProblem(function) is not { } problem) return;
            location ??= SyntaxLocations.Attribute(attributes[0].Attribute, function, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTaskMethod, location, function.MethodKind == MethodKind.LocalFunction ? function.Name : "this lambda", problem));
        }
    }
}
