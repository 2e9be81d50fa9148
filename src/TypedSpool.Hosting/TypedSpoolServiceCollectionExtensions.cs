using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TypedSpool.Storage;

namespace TypedSpool.Hosting;

/// <summary>Registers TypedSpool with the Generic Host.</summary>
public static class TypedSpoolServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="TypedSpoolHostOptions"/> from the <c>"TypedSpool"</c> section of <paramref name="configuration"/>
    /// (appsettings.json, environment variables such as <c>TypedSpool__Spoolers__default__Directory</c>, command line),
    /// then applies <paramref name="configure"/>. Registers the <see cref="Spooler"/>, sets it as the default of the
    /// generated stubs, and runs the workers (unless <see cref="TypedSpoolHostOptions.RunWorkers"/> is false).
    /// Invalid options stop the host at start with a message naming each option.
    /// </summary>
    public static IServiceCollection AddTypedSpool(this IServiceCollection services, IConfiguration configuration, Action<TypedSpoolHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOptions<TypedSpoolHostOptions>().Bind(configuration.GetSection(TypedSpoolHostOptions.SectionName));
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        return AddCore(services);
    }

    /// <summary>Configures TypedSpool in code only; see <see cref="AddTypedSpool(IServiceCollection, IConfiguration, Action{TypedSpoolHostOptions}?)"/>.</summary>
    public static IServiceCollection AddTypedSpool(this IServiceCollection services, Action<TypedSpoolHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TypedSpoolHostOptions>().Configure(configure);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<TypedSpoolHostOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TypedSpoolHostOptions>, TypedSpoolHostOptionsValidator>());
        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<TypedSpoolHostOptions>>().Value;
            string defaultName = TypedSpoolHostOptionsValidator.DefaultName(options);
            var targets = options.Spoolers
                .OrderBy(s => s.Key == defaultName ? 0 : 1) // the first target is the default
                .Select(s => new SpoolTarget(s.Key, s.Value.Directory!));
            var durability = options.Spoolers.Values.All(s => s.Durability == SpoolDurability.None) ? SpoolDurability.None : SpoolDurability.Full;
            return new Spooler(targets, new SpoolerSettings
            {
                Durability = durability,
                RecycleFiles = options.Spoolers.Values.All(s => s.RecycleFiles),
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
            });
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TypedSpoolHostedService>());
        return services;
    }
}
