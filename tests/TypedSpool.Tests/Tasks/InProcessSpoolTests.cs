using Microsoft.Extensions.Time.Testing;

namespace TypedSpool.Tests.Tasks;

/// <summary>A user's outbox: the kind of service a task writes to, and a test asserts on.</summary>
public sealed class Outbox
{
    public List<string> Sent { get; } = [];
}

/// <summary>Typed tasks as a user writes them, compiled by the real generator.</summary>
public static partial class UserMailTasks
{
    [Spool(Name = "inprocess.send")]
    public static void SendMail(string to, string subject, [FromServices] Outbox outbox)
    {
        if (subject == "fail") throw new InvalidOperationException("smtp down");
        outbox.Sent.Add($"{to}: {subject}");
    }

    [SpoolForever(Name = "inprocess.heartbeat")]
    public static void Heartbeat([FromServices] Outbox outbox) => outbox.Sent.Add("heartbeat");
}

/// <summary>The README's example of testing your own tasks: enqueue through the stubs, drain, assert, no sleeping.</summary>
public class InProcessSpoolTests
{
    private sealed class Services(Outbox outbox) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(Outbox) ? outbox : null;
    }

    [Fact]
    public async Task Delayed_mail_is_sent_once_the_clock_reaches_it()
    {
        var outbox = new Outbox();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var spool = InProcessSpool.Create(clock, new Services(outbox));

        UserMailTasks.Spool.SendMail("ada@example.com", "Now");
        UserMailTasks.Spool.SendMail("bob@example.com", "Later", new SpoolOptions { Delay = TimeSpan.FromMinutes(5) });
        await spool.DrainAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["ada@example.com: Now"], outbox.Sent);
        Assert.Single(spool.PendingFiles);

        clock.Advance(TimeSpan.FromMinutes(5));
        await spool.DrainAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["ada@example.com: Now", "bob@example.com: Later"], outbox.Sent);
        Assert.Empty(spool.PendingFiles);
    }

    [Fact]
    public async Task Retries_follow_the_fake_clock_and_a_forever_task_runs_once_per_drain()
    {
        var outbox = new Outbox();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var policy = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(30), Jitter = 0 };
        await using var spool = InProcessSpool.Create(clock, new Services(outbox), retryPolicy: policy);

        UserMailTasks.Spool.SendMail("x@example.com", "fail");
        UserMailTasks.Spool.Heartbeat();
        var first = await spool.DrainAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, first.Retried);
        Assert.Equal(1, first.RanAgain);
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = await spool.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, second.DeadLettered);
        Assert.Equal(["heartbeat", "heartbeat"], outbox.Sent);
        Assert.Single(spool.PendingFiles); // the heartbeat stays, as @spoolforever does
    }

    [Fact]
    public async Task Two_spools_in_parallel_flows_do_not_see_each_other()
    {
        async Task<int> OneTest(string to)
        {
            var outbox = new Outbox();
            await using var spool = InProcessSpool.Create(services: new Services(outbox));
            await Task.Yield();
            UserMailTasks.Spool.SendMail(to, "parallel");
            await spool.DrainAsync(TestContext.Current.CancellationToken);
            return outbox.Sent.Count(s => s.StartsWith(to, StringComparison.Ordinal));
        }
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => OneTest($"user{i}@example.com"))));
        Assert.All(results, count => Assert.Equal(1, count));
    }
}
