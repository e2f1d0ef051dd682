using System.Security.Cryptography;

namespace FastPrune.Tests.Corpus;

/// <summary>
/// Everything under a folder (and a few outside paths): each entry's kind and, for regular files, the SHA-256 of
/// its bytes. Links are recorded as links (never followed), so a case cannot hide a write behind one; a device
/// node is recorded as a device, so replacing it by a regular file shows.
/// </summary>
internal static class CorpusSnapshot
{
    public static SortedDictionary<string, string> Take(string root, IReadOnlyList<string>? outside)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // Explicit stack: a case may build deep folders.
        var stack = new Stack<string>([root]);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                d[e.FullName] = Describe(e);
                if (e is DirectoryInfo && e.LinkTarget is null) stack.Push(e.FullName);
            }
        }
        foreach (var p in outside ?? [])
            d[p] = Describe(Directory.Exists(p) ? new DirectoryInfo(p) : new FileInfo(p));
        return d;
    }

    private static string Describe(FileSystemInfo e)
    {
        if (e.LinkTarget is { } target) return "link -> " + target;
        if (e is DirectoryInfo) return "dir";
        if (!e.Exists) return "absent";
        if (FastPrune.Graph.FileStatus.Of(e.FullName) is { IsRegular: true })
        {
            try
            {
                using var s = File.OpenRead(e.FullName);
                return "file " + Convert.ToHexString(SHA256.HashData(s));
            }
            catch (IOException)
            {
                // A file a case holds locked (a run folder's lock file): its length still shows a write.
                return "locked file of " + ((FileInfo)e).Length + " bytes";
            }
        }
        return "special";
    }
}
