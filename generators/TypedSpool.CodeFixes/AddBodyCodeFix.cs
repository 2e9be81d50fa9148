using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedSpool.Generators.Diagnostics;

namespace TypedSpool.CodeFixes
{
    /// <summary>TSPOOL006: marks the bulk parameter <c>[Body]</c> (qualified when <c>TypedSpool</c> is not imported).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddBodyCodeFix)), Shared]
    public sealed class AddBodyCodeFix : CodeFixProvider
    {
        private const string Title = "Send it as the body: add [Body]";
        private const string BodyAttribute = "TypedSpool.BodyAttribute";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BulkParameterNotBody);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var parameter = root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ParameterSyntax>();
            if (root is null || parameter is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(CodeAction.Create(Title, ct => AddBodyAsync(context.Document, root, parameter, ct), equivalenceKey: Title), diagnostic);
            }
        }

        private static async Task<Document> AddBodyAsync(Document document, SyntaxNode root, ParameterSyntax parameter, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(AttributeName(model, parameter.SpanStart))))
                .WithTrailingTrivia(SyntaxFactory.Space);
            var updated = parameter.AttributeLists.Count > 0
                ? parameter.AddAttributeLists(list)
                : parameter.WithoutLeadingTrivia().AddAttributeLists(list.WithLeadingTrivia(parameter.GetLeadingTrivia()));
            return document.WithSyntaxRoot(root.ReplaceNode(parameter, updated));
        }

        /// <summary><c>Body</c> when it binds to TypedSpool's attribute here, else <c>global::TypedSpool.Body</c>.</summary>
        private static NameSyntax AttributeName(SemanticModel? model, int position)
        {
            var shortName = SyntaxFactory.IdentifierName("BodyAttribute");
            var bound = model?.GetSpeculativeSymbolInfo(position, shortName, SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol;
            return bound is INamedTypeSymbol type && type.ToDisplayString() == BodyAttribute
                ? SyntaxFactory.IdentifierName("Body")
                : SyntaxFactory.ParseName("global::TypedSpool.Body");
        }
    }
}
