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

            var jsonContext = SpoolRules.FindJsonContext(method);
            var parameters = new List<ParameterSpec>();
            int bodies = 0;
            foreach (var parameter in method.Parameters)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = SpoolRules.ClassifyParameter(parameter, jsonContext is not null);
                if (info.Problem != ParameterProblem.None) return null;
                var spec = new ParameterSpec(
                    Name: SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name,
                    Key: SpoolRules.KeyOf(parameter),
                    Type: parameter.Type.ToDisplayString(SpoolRules.TypeFormat),
                    ValueType: info.ValueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    Kind: info.Kind,
                    IsOptional: info.IsOptional,
                    Format: info.Format);
                if (spec.IsPayload && SpoolRules.ReservedKeys.Contains(spec.Key) && !IsBody(spec.Kind)) return null;
                if (IsBody(spec.Kind)) bodies++;
                parameters.Add(spec);
            }
            if (bodies > 1) return null;

            var containers = new List<ContainerSpec>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                containers.Insert(0, new ContainerSpec(Keyword(type), type.Name));
            }
            string ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
            string containingType = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            string typePath = string.Join(".", containers.Select(c => c.Name));
            return new SpoolMethodSpec(
                Namespace: ns,
                Containers: new EquatableArray<ContainerSpec>(containers),
                ContainingType: containingType,
                MethodName: method.Name,
                WireName: wireName,
                Kind: kind,
                Return: returnShape,
                IsStatic: method.IsStatic,
                IsPublic: method.DeclaredAccessibility == Accessibility.Public,
                Parameters: new EquatableArray<ParameterSpec>(parameters),
                JsonContext: jsonContext?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                DisplayName: (ns.Length > 0 ? ns + "." : "") + typePath + "." + method.Name,
                HintName: (ns.Length > 0 ? ns + "." : "") + typePath + "." + method.Name + ".Spool.g.cs");
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
