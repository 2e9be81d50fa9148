namespace TypedSpool.Storage;

/// <summary>The few fields of statx(2) the spool needs: identity (device and inode), type, size, mtime, ctime, links.</summary>
internal readonly record struct FileStatus(ulong Device, ulong Inode, ushort Mode, long Size, DateTimeOffset ModifiedAt, uint LinkCount, DateTimeOffset ChangedAt)
{
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort DirectoryType = 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == RegularType;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    /// <summary>True when both describe the same inode on the same device.</summary>
    public bool IsSameFile(in FileStatus other) => Device == other.Device && Inode == other.Inode;
}
