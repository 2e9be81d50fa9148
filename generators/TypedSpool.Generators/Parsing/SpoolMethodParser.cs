using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TypedSpool.Generators.Model;

namespace TypedSpool.Generators.Parsing
{
    /// <summary>Symbols in, model out: the only generator code that touches <see cref="ISymbol"/>.</summary>
    internal static class SpoolMethodParser
    {
        /// <summary>
        /// Builds the spec of a task method, or null when it breaks a rule: the analyzers report those, and the
        /// generator stays silent so that one mistake does not bury the real error under generated-code errors.
        /// </summary>
        public static SpoolMethodSpec? Parse(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var attributes = SpoolRules.TaskAttributes(method);
            if (attributes.Length != 1) return null;
            var (kind, attribute) = attributes[0];
            string wireName = SpoolRules.WireName(method, attribute);
            if (wireName.Length == 0) return null;
            if (SpoolRules.FirstNonPartialContainer(method) is not null || SpoolRules.ShapeProblem(method) is not null) return null;
            if (SpoolRules.ClassifyReturn(method, kind) is not { } returnShape) return null;
            if (SpoolRules.ScheduleProblem(method) is not null) return null;
            var (timerSeconds, cron) = SpoolRules.Schedule(method);

            var jsonContext = SpoolRules.FindJsonContext(method);
            var parameters = new List<ParameterSpec>();
            int bodies = 0;
            foreach (var parameter in method.Parameters)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = SpoolRules.ClassifyParameter(parameter, jsonContext is not null);
                if (info.Problem != ParameterProblem.None) return null;
                string type = parameter.Type.ToDisplayString(SpoolRules.TypeFormat);
                if (info.IsOptional && parameter.Type.IsReferenceType && !type.EndsWith("?", System.StringComparison.Ordinal))
                {
                    type += "?"; // oblivious (#nullable disable) reference types may be null
                }
                var spec = new ParameterSpec(
                    Name: Identifier(parameter.Name),
                    Key: SpoolRules.KeyOf(parameter),
                    Type: type,
                    ValueType: info.ValueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    Kind: info.Kind,
                    IsOptional: info.IsOptional,
                    Format: info.Format,
                    DefaultValue: DefaultValueOf(parameter));
                if (spec.IsPayload && SpoolRules.ReservedKeys.Contains(spec.Key) && !IsBody(spec.Kind)) return null;
                if (IsBody(spec.Kind)) bodies++;
                parameters.Add(spec);
            }
            if (bodies > 1) return null;

            var containers = new List<ContainerSpec>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                containers.Insert(0, new ContainerSpec(Keyword(type), Identifier(type.Name)));
            }
            var namespaceParts = new List<string>();
            for (var n = method.ContainingNamespace; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
            {
                namespaceParts.Insert(0, n.Name);
            }
            // Code gets escaped identifiers; hint and display names get the plain ones.
            string ns = string.Join(".", namespaceParts.Select(Identifier));
            string plainPath = string.Join(".", namespaceParts.Concat(ContainerNames(method.ContainingType)).Concat(new[] { method.Name }));
            string containingType = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return new SpoolMethodSpec(
                Namespace: ns,
                Containers: new EquatableArray<ContainerSpec>(containers),
                ContainingType: containingType,
                MethodName: method.Name,
                MethodIdentifier: Identifier(method.Name),
                WireName: wireName,
                Kind: kind,
                Return: returnShape,
                IsStatic: method.IsStatic,
                IsPublic: method.DeclaredAccessibility == Accessibility.Public,
                Parameters: new EquatableArray<ParameterSpec>(parameters),
                JsonContext: jsonContext?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                DisplayName: plainPath,
                HintName: plainPath + ".Spool.g.cs",
                TimerSeconds: timerSeconds,
                Cron: cron);
        }

        /// <summary>The parameter's default as C# source, so that the stub can be called like the method.</summary>
        private static string? DefaultValueOf(IParameterSymbol parameter)
        {
            if (!parameter.HasExplicitDefaultValue) return null;
            var value = parameter.ExplicitDefaultValue;
            var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                ? nullable.TypeArguments[0]
                : parameter.Type;
            if (value is null) return "default";
            if (type.TypeKind == TypeKind.Enum)
            {
                return "(" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false) + ")";
            }
            return value switch
            {
                string text => SymbolDisplay.FormatLiteral(text, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "F",
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture) + "M",
                _ => "(" + type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false) + ")",
            };
        }

        private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static IEnumerable<string> ContainerNames(INamedTypeSymbol type)
        {
            var names = new List<string>();
            for (var t = type; t is not null; t = t.ContainingType) names.Insert(0, t.Name);
            return names;
        }

        public static bool IsBody(ParameterKind kind)
            => kind is ParameterKind.BodyBytes or ParameterKind.BodyMemory or ParameterKind.BodyText or ParameterKind.BodyJson;

        private static string Keyword(INamedTypeSymbol type)
        {
            if (type.IsRecord) return type.TypeKind == TypeKind.Struct ? "record struct" : "record";
            return type.TypeKind == TypeKind.Struct ? "struct" : "class";
        }
    }
}
