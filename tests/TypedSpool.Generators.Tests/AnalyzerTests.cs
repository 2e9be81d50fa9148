using Microsoft.CodeAnalysis;

namespace TypedSpool.Generators.Tests;

/// <summary>Analyzer tests of the rules on a task method: partial containers, return types, result codes, shape, wire name.</summary>
public class AnalyzerTests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedSpool;
        namespace Demo;

        """;

    // TSPOOL001

    [Fact]
    public async Task TSPOOL001_a_non_partial_class_is_reported_at_the_method_name()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static class Mail
            {
                [Spool] public static void {|TSPOOL001:Send|}(string to) { }
            }
            """);
        Assert.Contains("Type 'Mail' holds the spool task 'Send'", diagnostics.Single().GetMessage());
    }

    [Theory]
    [InlineData("public class Outer { public partial class Inner", "Outer")]
    [InlineData("public partial class Outer { public class Inner", "Inner")]
    public async Task TSPOOL001_any_non_partial_level_is_reported(string containers, string type)
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + containers + """
             { [Spool] public static void {|TSPOOL001:Run|}() { } } }
            """);
        Assert.Contains($"Type '{type}'", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL001_partial_containers_at_every_level_are_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public partial class Outer { public static partial class Inner { [Spool] public static void Run() { } } }
            public partial record struct Point { [Spool] public static void Move() { } }
            """, tasks: 2);

    // TSPOOL002

    [Theory]
    [InlineData("[Spool]", "int", "=> 1;", "a [Spool] task returns void, Task or ValueTask; to choose the outcome yourself, use [SpoolRaw]")]
    [InlineData("[Spool]", "SpoolResult", "=> SpoolResult.Ok;", "a [Spool] task returns void, Task or ValueTask")]
    [InlineData("[SpoolForever]", "Task<int>", "=> Task.FromResult(1);", "a [SpoolForever] task returns void, Task or ValueTask")]
    [InlineData("[SpoolRaw]", "void", "{ }", "a [SpoolRaw] task returns SpoolResult, Task<SpoolResult> or ValueTask<SpoolResult>")]
    [InlineData("[SpoolRaw]", "int", "=> 0;", "a [SpoolRaw] task returns SpoolResult, Task<SpoolResult> or ValueTask<SpoolResult>")]
    [InlineData("[SpoolRaw]", "Task", "=> Task.CompletedTask;", "a [SpoolRaw] task returns SpoolResult, Task<SpoolResult> or ValueTask<SpoolResult>")]
    public async Task TSPOOL002_an_unsupported_return_type_is_reported_at_the_return_type(string attribute, string returnType, string body, string reason)
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + $$"""
            public static partial class Jobs
            {
                {{attribute}} public static {|TSPOOL002:{{returnType}}|} Run() {{body}}
            }
            """);
        Assert.Contains(reason, diagnostics.Single().GetMessage());
    }

    [Fact]
    public async Task TSPOOL002_async_void_is_reported_with_why()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static async {|TSPOOL002:void|} Run() { await Task.Yield(); }
            }
            """);
        Assert.Contains("an async void method cannot be awaited", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL002_every_allowed_return_type_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static void A() { }
                [Spool] public static Task B() => Task.CompletedTask;
                [Spool] public static async ValueTask C() => await Task.Yield();
                [SpoolForever] public static void D() { }
                [SpoolForever] public static Task E() => Task.CompletedTask;
                [SpoolRaw] public static SpoolResult F() => SpoolResult.Ok;
                [SpoolRaw] public static Task<SpoolResult> G() => Task.FromResult(SpoolResult.Retry);
                [SpoolRaw] public static async ValueTask<SpoolResult> H() { await Task.Yield(); return SpoolResult.Ignore; }
            }
            """, tasks: 8);

    // TSPOOL003

    [Fact]
    public async Task TSPOOL003_a_cast_of_an_undefined_value_is_reported_at_the_return()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [SpoolRaw] public static SpoolResult Run(bool done)
                {
                    if (done) return SpoolResult.Ok;
                    {|TSPOOL003:return (SpoolResult)5;|}
                }
            }
            """);
        Assert.Equal("Spool task 'Run' returns 5, which is not a SpoolResult (Ok = -2, Retry = -1, Ignore = 0, RunAgain = 1); uWSGI would treat it as a retry",
            diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL003_a_const_int_cast_is_reported()
        => AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                private const int Later = 7;
                [SpoolRaw] public static SpoolResult Run() { {|TSPOOL003:return (SpoolResult)Later;|} }
            }
            """);

    [Fact]
    public Task TSPOOL003_async_methods_returning_task_of_result_are_checked()
        => AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [SpoolRaw] public static async Task<SpoolResult> Run() { await Task.Yield(); {|TSPOOL003:return (SpoolResult)(-3);|} }
                [SpoolRaw] public static async ValueTask<SpoolResult> Other() { await Task.Yield(); {|TSPOOL003:return (SpoolResult)2;|} }
            }
            """);

    [Fact]
    public Task TSPOOL003_conditional_switch_and_expression_bodies_are_checked_at_the_bad_value()
        => AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [SpoolRaw] public static SpoolResult A(bool b) => b ? SpoolResult.Ok : {|TSPOOL003:(SpoolResult)9|};
                [SpoolRaw] public static SpoolResult B(int n) => n switch { 0 => SpoolResult.Ok, _ => {|TSPOOL003:(SpoolResult)42|} };
                [SpoolRaw] public static SpoolResult C(bool b) => (SpoolResult)(b ? -2 : {|TSPOOL003:-5|});
                [SpoolRaw] public static SpoolResult D() => {|TSPOOL003:(SpoolResult)100|};
            }
            """);

    [Fact]
    public Task TSPOOL003_defined_values_lambdas_local_functions_and_non_constants_are_not_reported()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public static partial class Jobs
            {
                [SpoolRaw] public static SpoolResult A(int n)
                {
                    Func<SpoolResult> lambda = () => (SpoolResult)5;
                    SpoolResult Local() { return (SpoolResult)7; }
                    if (n == 1) return 0;
                    if (n == 2) return (SpoolResult)(-2);
                    if (n == 3) return (SpoolResult)(-1);
                    if (n == 4) return (SpoolResult)1;
                    if (n == 5) return SpoolResult.RunAgain;
                    if (n == 6) return lambda() == Local() ? SpoolResult.Ok : SpoolResult.Retry;
                    return (SpoolResult)n;
                }
                public static SpoolResult NotATask() => (SpoolResult)5;
            }
            """, tasks: 1);

    // TSPOOL011

    [Fact]
    public async Task TSPOOL011_more_than_one_task_attribute_is_reported_at_the_extra_attribute()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [Spool, {|TSPOOL011:SpoolForever|}] public static void Run() { }
            }
            """);
        Assert.Contains("more than one task attribute ([Spool], [SpoolForever])", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL011_invalid_shapes_are_reported_at_the_method_name()
        => AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [Spool] public static void {|TSPOOL011:Generic|}<T>() { }
                [Spool] public static void {|TSPOOL011:Twice|}() { }
                [Spool(Name = "twice.2")] public static void {|TSPOOL011:Twice|}(int n) { }
            }
            public partial class Box<T> { [Spool] public static void {|TSPOOL011:InGeneric|}() { } }
            public partial class Outer { private partial class Hidden { [Spool] public static void {|TSPOOL011:InPrivate|}() { } } }
            public abstract partial class Base { [Spool] public void {|TSPOOL011:InAbstract|}() { } }
            public partial interface IJobs { [Spool] static void {|TSPOOL011:InInterface|}() { } }
            """);

    [Fact]
    public async Task TSPOOL011_local_functions_lambdas_and_accessors_are_reported()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                public static void Host()
                {
                    [Spool] static void {|TSPOOL011:Inner|}() { }
                    Action lambda = [{|TSPOOL011:Spool|}] () => { };
                    Inner();
                    lambda();
                }
                public static int Count { [Spool] {|TSPOOL011:get|} => 1; }
            }
            """);
        Assert.All(diagnostics, d => Assert.Contains("only ordinary methods can be tasks", d.GetMessage()));
    }

    [Fact]
    public Task TSPOOL011_instance_methods_structs_and_internal_classes_are_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public partial class Service { [Spool] public void Run(string name) { } }
            internal partial struct Values { [Spool] internal static void Add(int a, int b) { } }
            public partial class Outer { internal sealed partial class Inner { [SpoolRaw] public static SpoolResult Decide() => SpoolResult.Ok; } }
            """, tasks: 3);

    // TSPOOL012

    [Fact]
    public async Task TSPOOL012_an_empty_name_is_reported_at_the_name_argument()
    {
        var diagnostics = await AnalyzerMarkup.VerifyAsync(Usings + """
            public static partial class Jobs
            {
                [SpoolRaw({|TSPOOL012:Name = ""|})] public static SpoolResult Run() => SpoolResult.Ok;
            }
            """);
        Assert.Contains("the name is empty", diagnostics.Single().GetMessage());
    }

    [Fact]
    public Task TSPOOL012_a_pinned_name_is_valid()
        => AnalyzerMarkup.VerifyCleanAsync(Usings + """
            public static partial class Jobs
            {
                [Spool(Name = "mail.send")] public static void Send() { }
                [SpoolForever(Name = "ticker")] public static void Tick() { }
            }
            """, tasks: 2);

    // Generated code

    [Fact]
    public Task Tasks_in_generated_code_are_not_analyzed()
        => AnalyzerMarkup.VerifyAsync("// <auto-generated/>\n" + Usings + "public static class C { [Spool] public static int M(byte[] data) => 1; }");
}
