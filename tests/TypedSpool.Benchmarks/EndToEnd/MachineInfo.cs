namespace TypedSpool.Benchmarks.EndToEnd;

/// <summary>What the figures depend on, for the table header and results.json.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Kernel, string FileSystem, string Runtime)
{
    public static MachineInfo Describe(string workDirectory) => new(
        ProcFs.CpuModel(),
        Environment.ProcessorCount,
        ProcFs.Kernel(),
        ProcFs.FileSystemOf(Directory.Exists(workDirectory) ? workDirectory : Path.GetDirectoryName(workDirectory)!),
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);

    public override string ToString() => $"{Cpu}, {Cores} cores, Linux {Kernel}, spool on {FileSystem}, {Runtime}";
}
