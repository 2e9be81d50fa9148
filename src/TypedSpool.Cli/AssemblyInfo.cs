using System.Runtime.Versioning;

// The spool runtime needs Linux (open-file-description locks, statx, renameat2).
[assembly: SupportedOSPlatform("linux")]
