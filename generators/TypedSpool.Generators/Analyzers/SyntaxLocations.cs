using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>The most precise place in source for each kind of diagnostic.</summary>
    internal static class SyntaxLocations
    {
        /// <summary>The method's name (or operator token).</summary>
        public static Location Name(ISymbol symbol)
            => symbol.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;

        /// <summary>The return type as written.</summary>
        public static Location ReturnType(IMethodSymbol method, CancellationToken cancellationToken)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration) return declaration.ReturnType.GetLocation();
            }
            return Name(method);
        }

        /// <summary>An attribute application.</summary>
        public static Location Attribute(AttributeData attribute, ISymbol owner, CancellationToken cancellationToken)
            => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? Name(owner);

        /// <summary>The <c>Name = ...</c> argument of a task attribute, else the attribute.</summary>
        public static Location NameArgument(AttributeData attribute, ISymbol owner, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } list })
            {
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == "Name") return argument.GetLocation();
                }
            }
            return Attribute(attribute, owner, cancellationToken);
        }

        /// <summary>A parameter's type as written.</summary>
        public static Location ParameterType(IParameterSymbol parameter, CancellationToken cancellationToken)
        {
            foreach (var reference in parameter.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type }) return type.GetLocation();
            }
            return Name(parameter);
        }

        /// <summary>The first application of the attribute <paramref name="metadataName"/> on a parameter, else its name.</summary>
        public static Location ParameterAttribute(IParameterSymbol parameter, string metadataName, CancellationToken cancellationToken)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == metadataName) return Attribute(attribute, parameter, cancellationToken);
            }
            return Name(parameter);
        }
    }
}
