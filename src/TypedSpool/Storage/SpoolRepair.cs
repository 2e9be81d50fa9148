using TypedSpool.Format;

namespace TypedSpool.Storage;

/// <summary>
/// Operator's changes to a spool, with the runtime's own rules: a task is touched only under its lock (so never while
/// a worker runs it), and a move writes the new file durably before removing the old one (a crash leaves a copy too
/// many, never none).
/// </summary>
public static class SpoolRepair
{
    /// <summary>Deletes one task file. Throws <see cref="InvalidOperationException"/> when a worker is running it.</summary>
    public static void Remove(string path)
    {
        using var claim = Claim(path);
        claim.Delete();
        NativeFile.Unlink(path + SpoolClaim.ReasonSuffix);
    }

    /// <summary>
    /// Moves a task file into <paramref name="targetDirectory"/> (a spool, a priority directory, or a hold directory),
    /// due at <paramref name="at"/> (now when null); <paramref name="resetAttempts"/> removes its attempt counter.
    /// Returns the new path. A file that cannot be decoded is moved as it is.
    /// </summary>
    public static string Move(string path, string targetDirectory, bool resetAttempts, DateTimeOffset? at, SpoolDurability durability = SpoolDurability.Full)
    {
        using var claim = Claim(path);
        byte[] content = claim.ReadAll();
        if (resetAttempts)
        {
            try
            {
                content = SpoolPacketCodec.EncodeFile(SpoolPacketCodec.Decode(content).Without(SpoolKeys.Attempt));
            }
            catch (SpoolFormatException)
            {
                // Quarantined bytes are kept exactly: the operator moves them to look again, not to change them.
            }
        }
        string target = Path.GetFullPath(targetDirectory);
        NativeFile.EnsureDirectory(target, durability == SpoolDurability.Full);
        if (!DurableFile.Write(target, claim.FileName, [content], at ?? DateTimeOffset.UtcNow, durability, replace: false))
        {
            throw new IOException($"'{Path.Combine(target, claim.FileName)}' already exists; nothing was moved.");
        }
        claim.Delete();
        NativeFile.Unlink(path + SpoolClaim.ReasonSuffix);
        return Path.Combine(target, claim.FileName);
    }

    private static SpoolClaim Claim(string path)
    {
        string full = Path.GetFullPath(path);
        if (!SpoolFileName.HasTaskPrefix(Path.GetFileName(full)) || full.EndsWith(SpoolClaim.ReasonSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{full}' is not a task file (its name must start with {SpoolFileName.Prefix}).");
        }
        return SpoolClaim.TryClaim(full, DateTimeOffset.MaxValue, out var outcome) ?? throw (outcome switch
        {
            ClaimOutcome.Locked => new InvalidOperationException($"'{full}' is running in a worker (it is locked); try again when it has finished."),
            ClaimOutcome.Gone => new FileNotFoundException($"'{full}' does not exist (it may just have run).", full),
            _ => new IOException($"'{full}' cannot be claimed: {outcome}."),
        });
    }
}
