using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
    /// <summary>TSPOOL001: declares every type around the task method <c>partial</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
    public sealed class MakePartialCodeFix : CodeFixProvider
    {
        private const string Title = "Make the containing types partial";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NotPartial);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var method = root?.FindNode(context.Span).FirstAncestorOrSelf<MethodDeclarationSyntax>();
            if (root is null || method is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => Task.FromResult(context.Document.WithSyntaxRoot(MakePartial(root, method, ct))), equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static SyntaxNode MakePartial(SyntaxNode root, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            var types = method.Ancestors().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
            cancellationToken.ThrowIfCancellationRequested();
            return root.ReplaceNodes(types, static (_, rewritten) => AddPartial(rewritten));
        }

        /// <summary><c>partial</c> goes last among the modifiers, just before the keyword.</summary>
        private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
        {
            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (type.Modifiers.Count > 0) return type.WithModifiers(type.Modifiers.Add(partial));
            // No modifiers: the keyword's leading trivia (indentation, comments) moves in front of 'partial'.
            var keyword = type.Keyword;
            return type.WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()))
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}
