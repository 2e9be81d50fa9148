using Microsoft.Extensions.DependencyInjection;

namespace TypedSpool.Hosting;

/// <summary>Runs each task in its own service scope, so scoped services ([FromServices], instance task classes) live for one task.</summary>
internal sealed class ScopedSpoolDispatcher(IServiceScopeFactory scopes) : ISpoolTaskHandler
{
    public async ValueTask<SpoolResult> HandleAsync(SpoolTask task, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await SpoolDispatcher.DispatchAsync(task, scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
