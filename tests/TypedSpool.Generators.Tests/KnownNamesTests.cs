using System.Reflection;
using TypedSpool.Format;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Tests;

/// <summary>The generator matches runtime types by name only: each constant must be the runtime type's full name.</summary>
public class KnownNamesTests
{
    [Fact]
    public void Every_runtime_name_constant_matches_the_runtime_type()
    {
        Assert.Equal(KnownNames.SpoolAttribute, typeof(SpoolAttribute).FullName);
        Assert.Equal(KnownNames.SpoolRawAttribute, typeof(SpoolRawAttribute).FullName);
        Assert.Equal(KnownNames.SpoolForeverAttribute, typeof(SpoolForeverAttribute).FullName);
        Assert.Equal(KnownNames.BodyAttribute, typeof(BodyAttribute).FullName);
        Assert.Equal(KnownNames.FromServicesAttribute, typeof(FromServicesAttribute).FullName);
        Assert.Equal(KnownNames.SpoolJsonContextAttribute, typeof(SpoolJsonContextAttribute).FullName);
        Assert.Equal(KnownNames.SpoolContext, typeof(SpoolContext).FullName);
        Assert.Equal(KnownNames.SpoolResult, typeof(SpoolResult).FullName);
        Assert.Equal(KnownNames.SpoolOptions, typeof(SpoolOptions).FullName);
    }

    [Fact]
    public void Every_framework_name_constant_matches_the_framework_type()
    {
        Assert.Equal(KnownNames.CancellationToken, typeof(CancellationToken).FullName);
        Assert.Equal(KnownNames.Task, typeof(Task).FullName);
        Assert.Equal(KnownNames.TaskOfT, typeof(Task<>).FullName);
        Assert.Equal(KnownNames.ValueTask, typeof(ValueTask).FullName);
        Assert.Equal(KnownNames.ValueTaskOfT, typeof(ValueTask<>).FullName);
        Assert.Equal(KnownNames.ReadOnlyMemoryOfT, typeof(ReadOnlyMemory<>).FullName);
        Assert.Equal(KnownNames.Stream, typeof(Stream).FullName);
        Assert.Equal(KnownNames.Guid, typeof(Guid).FullName);
        Assert.Equal(KnownNames.DateTime, typeof(DateTime).FullName);
        Assert.Equal(KnownNames.DateTimeOffset, typeof(DateTimeOffset).FullName);
        Assert.Equal(KnownNames.TimeSpan, typeof(TimeSpan).FullName);
        Assert.Equal(KnownNames.DateOnly, typeof(DateOnly).FullName);
        Assert.Equal(KnownNames.TimeOnly, typeof(TimeOnly).FullName);
        Assert.Equal(KnownNames.IEnumerableOfT, typeof(IEnumerable<>).FullName);
        Assert.Equal(KnownNames.JsonSerializerContext, typeof(System.Text.Json.Serialization.JsonSerializerContext).FullName);
    }

    [Fact]
    public void Every_key_the_runtime_gives_a_meaning_is_reserved()
    {
        var keys = typeof(SpoolKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains(key, SpoolRules.ReservedKeys));
    }
}
