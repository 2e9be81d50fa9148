using BenchmarkDotNet.Attributes;
using TypedSpool.Format;

namespace TypedSpool.MicroBenchmarks.Benchmarks;

/// <summary>The uwsgi packet codec (Format/SpoolPacketCodec.cs) on a 6-key packet and on a 3-key packet with a 4 KB body.</summary>
[MemoryDiagnoser]
public class PacketBenchmarks
{
    private SpoolPacket _small = null!;
    private SpoolPacket _withBody = null!;
    private byte[] _smallFile = null!;
    private byte[] _bodyFile = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Sample.SmallPacket();
        _withBody = Sample.BodyPacket();
        _smallFile = SpoolPacketCodec.EncodeFile(_small);
        _bodyFile = SpoolPacketCodec.EncodeFile(_withBody);
    }

    /// <summary>Header and key/value area as Spooler.Enqueue writes it (the body goes out as a second buffer).</summary>
    [Benchmark]
    public byte[] Encode_6_keys() => SpoolPacketCodec.EncodeHeaderAndArea(_small);

    [Benchmark]
    public byte[] Encode_3_keys_4KB_body_header_and_area() => SpoolPacketCodec.EncodeHeaderAndArea(_withBody);

    /// <summary>The whole file in one array (what the network client and tools use).</summary>
    [Benchmark]
    public byte[] Encode_3_keys_4KB_body_whole_file() => SpoolPacketCodec.EncodeFile(_withBody);

    /// <summary>What a generated stub does before it touches the disk: build the payload, then encode it.</summary>
    [Benchmark]
    public byte[] Stub_payload_and_encode_6_keys() => SpoolPacketCodec.EncodeHeaderAndArea(Sample.SmallPacket());

    [Benchmark]
    public SpoolPacket Decode_6_keys() => SpoolPacketCodec.Decode(_smallFile);

    [Benchmark]
    public SpoolPacket Decode_3_keys_4KB_body() => SpoolPacketCodec.Decode(_bodyFile);

    /// <summary>Decode, then the two lookups the worker makes for every file (task name and attempt).</summary>
    [Benchmark]
    public string? Decode_6_keys_then_worker_lookups()
    {
        var packet = SpoolPacketCodec.Decode(_smallFile);
        _ = packet.TryGetValue(SpoolKeys.Attempt, out _);
        return packet.GetText(SpoolKeys.TaskName);
    }
}
