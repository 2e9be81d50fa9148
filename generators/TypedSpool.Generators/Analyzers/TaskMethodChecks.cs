using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>The rules on a task method itself: one task attribute, a wire name, partial containers, shape, return type.</summary>
    internal static class TaskMethodChecks
    {
        public static void Analyze(SymbolAnalysisContext context)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.PartialDefinitionPart is not null) return; // an implementation part: reported with its definition
            var attributes = SpoolRules.TaskAttributes(method);
            if (attributes.Length == 0) return;
            var ct = context.CancellationToken;

            for (int i = 1; i < attributes.Length; i++)
            {
                string reason = $"it has more than one task attribute ({string.Join(", ", attributes.Select(a => Reasons.AttributeName(a.Kind)))}); keep one";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTaskMethod,
                    SyntaxLocations.Attribute(attributes[i].Attribute, method, ct), method.Name, reason));
            }
            foreach (var (_, attribute) in attributes)
            {
                if (SpoolRules.WireName(method, attribute).Length == 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidWireName,
                        SyntaxLocations.NameArgument(attribute, method, ct), method.Name,
                        "the name is empty; give a non-empty Name, or leave it out to use the method name"));
                }
            }
            if (SpoolRules.FirstNonPartialContainer(method) is { } type)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, SyntaxLocations.Name(method), type.Name, method.Name));
            }
            if (SpoolRules.ShapeProblem(method) is { } shape)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidTaskMethod, SyntaxLocations.Name(method), method.Name, shape));
                // An accessor or operator is not a task at all: its return type and parameters do not matter.
                if (method.MethodKind != MethodKind.Ordinary) return;
            }
            if (attributes.Length == 1 && SpoolRules.ClassifyReturn(method, attributes[0].Kind) is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedReturnType, SyntaxLocations.ReturnType(method, ct),
                    method.Name, method.ReturnType.ToDisplayString(), Reasons.ReturnType(method, attributes[0].Kind)));
            }
            if (SpoolRules.ScheduleProblem(method) is { } schedule)
            {
                var attribute = SpoolRules.ScheduleAttributes(method)[0];
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidSchedule,
                    SyntaxLocations.Attribute(attribute, method, ct), method.Name, schedule));
            }
            ParameterChecks.Analyze(context, method);
        }
    }
}
