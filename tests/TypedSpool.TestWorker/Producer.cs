using System.Globalization;
using System.Security.Cryptography;
using TypedSpool;
using TypedSpool.Format;
using TypedSpool.Storage;

/// <summary>
/// Producer mode for fault tests: enqueues --count tasks, printing "try ID" before each Enqueue and "ack ID" once it
/// returned, or "fail ID HRESULT MESSAGE" when it threw. Stdout is the test's ledger, kept outside the faulted file system.
/// </summary>
internal static class Producer
{
    public static int Run(Dictionary<string, string> settings)
    {
        string Get(string name, string fallback) => settings.TryGetValue(name, out var v) ? v : fallback;
        int count = int.Parse(Get("count", "1"), CultureInfo.InvariantCulture);
        int bodyBytes = int.Parse(Get("body-bytes", "0"), CultureInfo.InvariantCulture);
        string prefix = Get("prefix", "p");
        var durability = Get("durability", "full") == "none" ? SpoolDurability.None : SpoolDurability.Full;
        var spooler = new Spooler(settings["spool"], new SpoolerSettings { Durability = durability });
        var random = new Random(Environment.ProcessId);

        Console.Out.WriteLine("ready");
        for (int i = 0; i < count; i++)
        {
            string id = prefix + "-" + i.ToString(CultureInfo.InvariantCulture);
            var body = new byte[bodyBytes];
            random.NextBytes(body);
            // The checksum travels in the packet, so a consumer can tell a whole task from a torn one.
            var packet = SpoolPacket.FromText(
            [
                new("id", id),
                new("body_len", bodyBytes.ToString(CultureInfo.InvariantCulture)),
                new("body_sha", Convert.ToHexStringLower(SHA256.HashData(body))),
            ]).WithBody(body);
            // Before the write: a kill between the rename and the "ack" leaves a complete task that was attempted.
            Console.Out.WriteLine("try " + id);
            try
            {
                spooler.Enqueue(packet);
                Console.Out.WriteLine("ack " + id);
            }
            catch (Exception ex)
            {
                Console.Out.WriteLine(FormattableString.Invariant($"fail {id} {ex.HResult} {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}"));
            }
        }
        Console.Out.WriteLine("done");
        return 0;
    }
}
