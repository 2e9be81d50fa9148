using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>The rules on a task's parameters: encodable types, JSON context, body, reserved keys, bulk payloads.</summary>
    internal static class ParameterChecks
    {
        public static void Analyze(SymbolAnalysisContext context, IMethodSymbol method)
        {
            var ct = context.CancellationToken;
            bool hasJsonContext = SpoolRules.FindJsonContext(method) is not null;
            var bodies = new List<IParameterSymbol>();
            foreach (var parameter in method.Parameters)
            {
                var info = SpoolRules.ClassifyParameter(parameter, hasJsonContext);
                switch (info.Problem)
                {
                    case ParameterProblem.Unsupported:
                        // An unresolved type already has a compiler error; a second message would only be noise.
                        if (parameter.Type.TypeKind == TypeKind.Error) break;
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedParameterType, SyntaxLocations.ParameterType(parameter, ct),
                            parameter.Name, method.Name, parameter.Type.ToDisplayString(), Reasons.Unsupported(parameter)));
                        break;
                    case ParameterProblem.NeedsJsonContext:
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.JsonContextRequired, SyntaxLocations.ParameterType(parameter, ct),
                            parameter.Name, method.Name, parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(), method.ContainingType.Name));
                        break;
                    case ParameterProblem.InvalidBody:
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidBody, SyntaxLocations.ParameterAttribute(parameter, KnownNames.BodyAttribute, ct),
                            parameter.Name, method.Name, Reasons.InvalidBody(parameter)));
                        break;
                    default:
                        CheckValid(context, method, parameter, info, bodies);
                        break;
                }
            }
            for (int i = 1; i < bodies.Count; i++)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultipleBodies, SyntaxLocations.ParameterAttribute(bodies[i], KnownNames.BodyAttribute, ct),
                    method.Name, string.Join("', '", bodies.Select(b => b.Name))));
            }
        }

        private static void CheckValid(SymbolAnalysisContext context, IMethodSymbol method, IParameterSymbol parameter, ParameterClass info, List<IParameterSymbol> bodies)
        {
            if (info.Kind is ParameterKind.CancellationToken or ParameterKind.Context or ParameterKind.Service) return;
            if (SpoolMethodParser.IsBody(info.Kind))
            {
                bodies.Add(parameter);
                return;
            }
            if (SpoolRules.ReservedKeys.Contains(SpoolRules.KeyOf(parameter)))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ReservedParameterName, SyntaxLocations.Name(parameter),
                    SpoolRules.KeyOf(parameter), method.Name));
            }
            if (info.IsBulk)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BulkParameterNotBody, SyntaxLocations.ParameterType(parameter, context.CancellationToken),
                    parameter.Name, method.Name, parameter.Type.ToDisplayString()));
            }
        }
    }
}
