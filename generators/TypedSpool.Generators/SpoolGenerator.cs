using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedSpool.Generators.Diagnostics;
using TypedSpool.Generators.Emitting;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators
{
    /// <summary>
    /// Generates, for each [Spool], [SpoolRaw] and [SpoolForever] method, typed enqueue stubs in a nested
    /// <c>Spool</c> class and a payload invoker, plus one dispatch table per assembly. It reports only its own
    /// failures (TSPOOL099); every user-facing rule is an analyzer's.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SpoolGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var spool = Find(context, KnownNames.SpoolAttribute, StepNames.SpoolMethods);
            var raw = Find(context, KnownNames.SpoolRawAttribute, StepNames.SpoolRawMethods);
            var forever = Find(context, KnownNames.SpoolForeverAttribute, StepNames.SpoolForeverMethods);
            // [Timer] and [Cron] alone make a task too; with a task attribute the method is found above already.
            var timer = Find(context, KnownNames.TimerAttribute, StepNames.TimerMethods, scheduleOnly: true);
            var cron = Find(context, KnownNames.CronAttribute, StepNames.CronMethods, scheduleOnly: true);

            var results = spool.Collect().Combine(raw.Collect()).Combine(forever.Collect()).Combine(timer.Collect()).Combine(cron.Collect())
                .Select(static (all, _) => all.Left.Left.Left.Left.AddRange(all.Left.Left.Left.Right).AddRange(all.Left.Left.Right)
                    .AddRange(all.Left.Right).AddRange(all.Right))
                .WithTrackingName(StepNames.AllResults);

            // Failures are forked into their own output: generation never depends on them.
            context.RegisterSourceOutput(results.SelectMany(static (all, _) => all.Where(r => r.Failure is not null).ToImmutableArray()),
                static (output, result) => output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailed, Location.None, result.Method, result.Failure)));

            var specs = results.SelectMany(static (all, _) => all.Where(r => r.Spec is not null).Select(r => r.Spec!).ToImmutableArray())
                .WithTrackingName(StepNames.Specs);
            context.RegisterSourceOutput(specs, static (output, spec) => output.AddSource(spec.HintName, SpoolEmitter.EmitTask(spec)));

            var table = specs.Collect()
                .Select(static (all, _) => new EquatableArray<SpoolMethodSpec>(all.OrderBy(s => s.WireName, StringComparer.Ordinal).ThenBy(s => s.DisplayName, StringComparer.Ordinal)))
                .WithTrackingName(StepNames.DispatchTable);
            context.RegisterSourceOutput(table, static (output, all) => EmitDispatch(output, all));
        }

        private static IncrementalValuesProvider<ParseResult> Find(IncrementalGeneratorInitializationContext context, string attribute, string step, bool scheduleOnly = false)
            => context.SyntaxProvider.ForAttributeWithMetadataName<ParseResult>(
                    attribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    scheduleOnly ? ParseScheduleOnly : ParseAny)
                .WithTrackingName(step);

        private static ParseResult ParseAny(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
            => Parse((IMethodSymbol)context.TargetSymbol, cancellationToken);

        private static ParseResult ParseScheduleOnly(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            return HasTaskAttribute(method) ? new ParseResult(null, null, method.Name) : Parse(method, cancellationToken);
        }

        private static bool HasTaskAttribute(IMethodSymbol method)
            => method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is KnownNames.SpoolAttribute or KnownNames.SpoolRawAttribute or KnownNames.SpoolForeverAttribute);

        private static ParseResult Parse(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
        {
            try
            {
                return new ParseResult(SpoolMethodParser.Parse(method, cancellationToken), null, method.Name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new ParseResult(null, ex.GetType().Name + ": " + ex.Message, method.ToDisplayString());
            }
        }

        private static void EmitDispatch(SourceProductionContext output, EquatableArray<SpoolMethodSpec> all)
        {
            if (all.Count == 0) return;
            // Duplicate wire names are the analyzer's TSPOOL009 (an error); the table keeps the first so it still compiles.
            var kept = all.GroupBy(s => s.WireName, StringComparer.Ordinal).Select(g => g.First()).ToList();
            output.AddSource("TypedSpool.Dispatch.g.cs", SpoolEmitter.EmitDispatch(kept));
        }

        /// <summary>What parsing one method gave: a spec, nothing (a rule is broken; the analyzers say which), or a failure.</summary>
        internal sealed record ParseResult(SpoolMethodSpec? Spec, string? Failure, string Method);
    }

    /// <summary>Tracking names of the pipeline's steps, for the incrementality tests.</summary>
    internal static class StepNames
    {
        public const string SpoolMethods = nameof(SpoolMethods);
        public const string SpoolRawMethods = nameof(SpoolRawMethods);
        public const string SpoolForeverMethods = nameof(SpoolForeverMethods);
        public const string TimerMethods = nameof(TimerMethods);
        public const string CronMethods = nameof(CronMethods);
        public const string AllResults = nameof(AllResults);
        public const string Specs = nameof(Specs);
        public const string DispatchTable = nameof(DispatchTable);
    }
}
