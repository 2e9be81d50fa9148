using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>
    /// A call to a generated stub (<c>Type.Spool.Task(...)</c>) whose compile-time-constant string arguments alone
    /// encode past the 64 KB key/value area. Non-constant arguments count as 0; the body does not count.
    /// </summary>
    internal static class StubCallChecks
    {
        private const string StubClassName = "Spool";
        private const string TaskNameKey = "ud_spool_func";
        private const string FixedReturnKey = "ud_spool_ret";

        /// <summary>Each key/value pair costs two u16 length prefixes.</summary>
        private const int PairOverhead = 4;

        public static void Analyze(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var stub = invocation.TargetMethod;
            if (stub.ContainingType is not { Name: StubClassName, ContainingType: { } owner } || FindTask(owner, stub.Name) is not { } task) return;

            var (kind, attribute) = SpoolRules.TaskAttributes(task)[0];
            long size = Pair(TaskNameKey, SpoolRules.WireName(task, attribute));
            if (kind != TaskKind.Raw) size += Pair(FixedReturnKey, kind == TaskKind.Forever ? "-1" : "-2");
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is null || argument.Value.ConstantValue is not { HasValue: true, Value: string text }) continue;
                var parameter = FindParameter(task, argument.Parameter.Name);
                if (parameter is null || SpoolRules.HasAttribute(parameter, KnownNames.BodyAttribute)) continue;
                size += Pair(SpoolRules.KeyOf(parameter), text);
            }
            if (size > SpoolRules.MaxArea)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ArgumentTooLarge, invocation.Syntax.GetLocation(),
                    owner.Name + "." + StubClassName + "." + stub.Name, size.ToString(CultureInfo.InvariantCulture)));
            }
        }

        private static IMethodSymbol? FindTask(INamedTypeSymbol owner, string name)
        {
            foreach (var member in owner.GetMembers(name))
            {
                if (member is IMethodSymbol method && SpoolRules.TaskAttributes(method).Length > 0) return method;
            }
            return null;
        }

        private static IParameterSymbol? FindParameter(IMethodSymbol task, string name)
        {
            foreach (var parameter in task.Parameters)
            {
                if (parameter.Name == name) return parameter;
            }
            return null;
        }

        private static long Pair(string key, string value) => Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + PairOverhead;
    }
}
