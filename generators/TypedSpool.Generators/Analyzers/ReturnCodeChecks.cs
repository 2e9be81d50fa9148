using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>
    /// In a [SpoolRaw] method, a <c>return</c> whose value is a constant outside the SpoolResult values (-2, -1, 0, 1),
    /// such as <c>(SpoolResult)5</c>. Looks through conditionals, switch expressions and casts; ignores lambdas and local functions.
    /// </summary>
    internal static class ReturnCodeChecks
    {
        private const long Lowest = -2;
        private const long Highest = 1;

        public static void Start(OperationBlockStartAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method) return;
            var attributes = SpoolRules.TaskAttributes(method);
            if (attributes.Length != 1 || attributes[0].Kind != TaskKind.Raw || SpoolRules.ClassifyReturn(method, TaskKind.Raw) is null) return;
            context.RegisterOperationAction(c => AnalyzeReturn(c, method), OperationKind.Return);
        }

        private static void AnalyzeReturn(OperationAnalysisContext context, IMethodSymbol method)
        {
            var statement = (IReturnOperation)context.Operation;
            if (statement.ReturnedValue is not { } value || InNestedFunction(statement)) return;
            foreach (var leaf in Leaves(value))
            {
                if (Integer(leaf.ConstantValue) is { } code && (code < Lowest || code > Highest))
                {
                    var location = ReferenceEquals(leaf, value) ? statement.Syntax.GetLocation() : leaf.Syntax.GetLocation();
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BadReturnCode, location, method.Name, code.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }

        /// <summary>The values a returned expression can take, as far as they are visible in syntax.</summary>
        private static IEnumerable<IOperation> Leaves(IOperation value)
        {
            if (value.ConstantValue.HasValue)
            {
                yield return value;
                yield break;
            }
            IEnumerable<IOperation> inner = value switch
            {
                IConditionalOperation { WhenFalse: { } whenFalse } conditional => new[] { conditional.WhenTrue, whenFalse },
                ISwitchExpressionOperation @switch => ArmValues(@switch),
                IConversionOperation conversion => new[] { conversion.Operand },
                _ => System.Array.Empty<IOperation>(),
            };
            foreach (var operation in inner)
            {
                foreach (var leaf in Leaves(operation)) yield return leaf;
            }
        }

        private static IEnumerable<IOperation> ArmValues(ISwitchExpressionOperation @switch)
        {
            foreach (var arm in @switch.Arms) yield return arm.Value;
        }

        private static long? Integer(Optional<object?> constant) => constant.HasValue ? constant.Value switch
        {
            int i => i,
            long l => l,
            short s => s,
            sbyte b => b,
            byte b => b,
            ushort u => u,
            uint u => u,
            _ => null,
        } : null;

        private static bool InNestedFunction(IOperation operation)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation) return true;
            }
            return false;
        }
    }
}
