using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>
    /// TSPOOL009: two tasks of the compilation with one wire name. Reported at the end of the compilation, at each
    /// later declaration, so that #pragma and .editorconfig apply; the generator keeps the first in its table.
    /// </summary>
    internal static class DuplicateNameChecks
    {
        public static void Start(CompilationStartAnalysisContext context)
        {
            var tasks = new ConcurrentBag<(string Name, IMethodSymbol Method)>();
            context.RegisterSymbolAction(symbolContext =>
            {
                var method = (IMethodSymbol)symbolContext.Symbol;
                if (method.PartialImplementationPart is null && method.PartialDefinitionPart is not null)
                {
                    return; // the implementation half of a partial method: its definition is seen too
                }
                var attributes = SpoolRules.TaskAttributes(method);
                if (attributes.Length == 1)
                {
                    tasks.Add((SpoolRules.WireName(method, attributes[0].Attribute), method));
                }
            }, SymbolKind.Method);
            context.RegisterCompilationEndAction(endContext =>
            {
                foreach (var group in tasks.GroupBy(t => t.Name, System.StringComparer.Ordinal))
                {
                    // The same order as the generator's table: by display name.
                    var ordered = group.OrderBy(t => t.Method.ToDisplayString(), System.StringComparer.Ordinal).ToList();
                    foreach (var other in ordered.Skip(1))
                    {
                        endContext.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateWireName,
                            other.Method.Locations.FirstOrDefault(), group.Key, Display(ordered[0].Method), Display(other.Method)));
                    }
                }
            });
        }

        private static string Display(IMethodSymbol method)
            => method.ContainingType.ToDisplayString() + "." + method.Name;
    }
}
