using System.Runtime.CompilerServices;
using TypedSpool.Format;

namespace TypedSpool.MicroBenchmarks;

/// <summary>The packets and names the benchmarks share, built as the generated stubs build them.</summary>
internal static class Sample
{
    /// <summary>A name as a TypedSpool or uWSGI producer writes it (host with a dash and an underscore).</summary>
    public const string FileName = "uwsgi_spoolfile_on_web-01_prod_48213_1042_1804289383_1717171717_123456";

    public static readonly Guid InvoiceId = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");

    /// <summary>bench.send_invoice: ud_spool_func, ud_spool_ret, to, subject, copies, invoiceId (6 keys, about 170 bytes).</summary>
    public static SpoolPacket SmallPacket()
    {
        var writer = new SpoolPayloadWriter("bench.send_invoice", "-2");
        writer.Text("to", "ada.lovelace@example.com");
        writer.Text("subject", "Your invoice INV-2024-000123 for May");
        writer.Formattable<int>("copies", 2);
        writer.Formattable<Guid>("invoiceId", InvoiceId, "D");
        return writer.ToPacket();
    }

    /// <summary>bench.store_blob: ud_spool_func, ud_spool_ret, name (3 keys) and a 4 KB body.</summary>
    public static SpoolPacket BodyPacket()
    {
        var body = new byte[4096];
        new Random(42).NextBytes(body);
        var writer = new SpoolPayloadWriter("bench.store_blob", "-2");
        writer.Text("name", "reports/2024/05/summary.pdf");
        writer.Body(body);
        return writer.ToPacket();
    }

    /// <summary>A task as the worker hands it to its handler (the constructor is internal to TypedSpool).</summary>
    public static SpoolTask Task(SpoolPacket packet)
        => NewSpoolTask(packet, "/var/spool/app/" + FileName, 1, null, DateTimeOffset.UnixEpoch);

    /// <summary>
    /// Calls <c>SpoolTask</c>'s internal constructor without reflection and without an InternalsVisibleTo in src/;
    /// if its signature changes this throws <see cref="MissingMethodException"/> at the first call.
    /// </summary>
    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    public static extern SpoolTask NewSpoolTask(SpoolPacket packet, string filePath, int attempt, int? priority, DateTimeOffset scheduledAt);
}
