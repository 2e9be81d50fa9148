using Microsoft.Extensions.Options;
using TypedSpool;

namespace TypedSpool.Hosting;

/// <summary>Checks the configuration at start, naming each bad option by its configuration path.</summary>
internal sealed class TypedSpoolHostOptionsValidator : IValidateOptions<TypedSpoolHostOptions>
{
    public ValidateOptionsResult Validate(string? name, TypedSpoolHostOptions options)
    {
        const string Root = TypedSpoolHostOptions.SectionName;
        var errors = new List<string>();
        if (options.Spoolers.Count == 0)
        {
            errors.Add($"{Root}:Spoolers is empty: configure at least one spool, e.g. {Root}:Spoolers:default:Directory=/var/spool/myapp.");
        }
        foreach (var (spoolName, spool) in options.Spoolers)
        {
            string at = $"{Root}:Spoolers:{spoolName}";
            if (string.IsNullOrWhiteSpace(spool.Directory)) errors.Add($"{at}:Directory is required.");
            if (spool.Processes < 1) errors.Add($"{at}:Processes must be at least 1, not {spool.Processes}.");
            if (spool.Frequency <= TimeSpan.Zero) errors.Add($"{at}:Frequency must be positive, not {spool.Frequency}.");
            if (spool.MaxTasks < 0) errors.Add($"{at}:MaxTasks must be 0 (no limit) or more, not {spool.MaxTasks}.");
            if (spool.Harakiri is { } h && h <= TimeSpan.Zero) errors.Add($"{at}:Harakiri must be positive when set, not {h}.");
            if (spool.MaxAttempts < 0) errors.Add($"{at}:MaxAttempts must be 0 (retry forever) or more, not {spool.MaxAttempts}.");
            if (spool.RetryDelay < TimeSpan.Zero) errors.Add($"{at}:RetryDelay must not be negative, not {spool.RetryDelay}.");
            if (spool.MaxRetryDelay < spool.RetryDelay) errors.Add($"{at}:MaxRetryDelay ({spool.MaxRetryDelay}) must be at least RetryDelay ({spool.RetryDelay}).");
            if (!(spool.RetryJitter >= 0 && spool.RetryJitter < 1)) errors.Add($"{at}:RetryJitter must be in [0, 1), not {spool.RetryJitter}.");
        }
        for (int i = 0; i < options.Listeners.Count; i++)
        {
            var listener = options.Listeners[i];
            string at = $"{Root}:Listeners:{i}";
            try
            {
                ToListenerOptions(listener).Validate();
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{at}: {ex.Message}");
            }
            catch (FormatException ex)
            {
                errors.Add($"{at}: {ex.Message} (AllowedNetworks takes CIDR such as 10.0.0.0/8; AuthKey takes base64)");
            }
            if (listener.Spooler is { } target && !options.Spoolers.ContainsKey(target))
            {
                errors.Add($"{at}:Spooler names '{target}', which is not one of {Root}:Spoolers.");
            }
        }
        if (options.Default is { } chosen && !options.Spoolers.ContainsKey(chosen))
        {
            errors.Add($"{Root}:Default names '{chosen}', which is not one of {Root}:Spoolers ({string.Join(", ", options.Spoolers.Keys)}).");
        }
        else if (options.Default is null && options.Spoolers.Count > 1 && !options.Spoolers.ContainsKey("default"))
        {
            errors.Add($"{Root}:Default must name the spool generated stubs write to, since there are several ({string.Join(", ", options.Spoolers.Keys)}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The runtime options of a configured listener.</summary>
    public static Network.SpoolListenerOptions ToListenerOptions(SpoolListenerConfig listener) => new()
    {
        Address = listener.Address ?? throw new ArgumentException("Address is required."),
        AllowRemote = listener.AllowRemote,
        AllowedNetworks = [.. listener.AllowedNetworks.Select(n => System.Net.IPNetwork.Parse(n))],
        MaxConnections = listener.MaxConnections,
        ReadTimeout = listener.ReadTimeout,
        AcceptBody = listener.AcceptBody,
        Auth = listener.AuthKey is { } key ? new Network.SpoolNetworkAuth(Convert.FromBase64String(key)) : null,
    };

    /// <summary>The name of the default spool of valid options.</summary>
    public static string DefaultName(TypedSpoolHostOptions options)
        => options.Default ?? (options.Spoolers.ContainsKey("default") ? "default" : options.Spoolers.Keys.Single());
}
