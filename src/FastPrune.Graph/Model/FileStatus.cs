using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FastPrune.Graph;

/// <summary>
/// What the file system says about a path without following a final symbolic link: its device and inode (two
/// names for one file, such as a hard link or <c>a/../a/x</c>, have the same pair) and whether it is a regular
/// file. .NET exposes neither, so on Linux this asks <c>statx(2)</c>, whose record has the same layout on every
/// architecture; elsewhere only the kind is known, from <see cref="FileSystemInfo"/>.
/// </summary>
/// <param name="Device">Device number (major &lt;&lt; 32 | minor); 0 where unknown.</param>
/// <param name="Inode">Inode number; 0 where unknown.</param>
/// <param name="IsRegular">A regular file (not a folder, device, pipe, socket or link).</param>
/// <param name="IsDirectory">A folder.</param>
public readonly partial record struct FileStatus(ulong Device, ulong Inode, bool IsRegular, bool IsDirectory)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private const int ModeOffset = 28, InodeOffset = 32, DevMajorOffset = 136, DevMinorOffset = 140;
    private const ushort TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000;

    /// <summary>True when device and inode are known, so that <see cref="SameFile"/> can compare them.</summary>
    public bool HasIdentity => Inode != 0;

    /// <summary>The status of <paramref name="path"/> itself (a symbolic link is reported as a link), or null when nothing exists there.</summary>
    public static FileStatus? Of(string path) => Of(path, followLinks: false);

    /// <summary>The status of <paramref name="path"/>, or of what its symbolic links finally point at.</summary>
    public static FileStatus? Of(string path, bool followLinks)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsLinux())
        {
            Span<byte> buf = stackalloc byte[256];
            int rc;
            try
            {
                rc = Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxIno, ref MemoryMarshal.GetReference(buf));
            }
            catch (EntryPointNotFoundException)
            {
                return Fallback(path); // glibc before 2.28
            }
            if (rc != 0) return Fallback(path);
            ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(buf[ModeOffset..]);
            ulong ino = BinaryPrimitives.ReadUInt64LittleEndian(buf[InodeOffset..]);
            ulong dev = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buf[DevMajorOffset..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buf[DevMinorOffset..]);
            return new FileStatus(dev, ino, (mode & TypeMask) == Regular, (mode & TypeMask) == Directory);
        }
        return Fallback(path);
    }

    /// <summary>True when both paths exist and reach the same file (through hard or symbolic links, <c>..</c>): same device
    /// and inode where known, else the same full path.</summary>
    public static bool SameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Of(a, followLinks: true) is not { } x || Of(b, followLinks: true) is not { } y) return false;
        return x.HasIdentity && y.HasIdentity
            ? x.Device == y.Device && x.Inode == y.Inode
            : string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
    }

    private static FileStatus? Fallback(string path)
    {
        if (System.IO.Directory.Exists(path)) return new FileStatus(0, 0, false, true);
        var f = new FileInfo(path);
        if (!f.Exists && f.LinkTarget is null) return null;
        // Without statx a device node cannot be told from a file; treat what is not a link as regular.
        return new FileStatus(0, 0, f.LinkTarget is null, false);
    }

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
