namespace TypedSpool.Tests;

public class SmokeTests
{
    [Fact]
    public void Ok_is_minus_two() => Assert.Equal(-2, (int)SpoolResult.Ok);
}
