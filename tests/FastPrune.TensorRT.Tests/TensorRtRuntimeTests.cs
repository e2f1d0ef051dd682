using System.Runtime.InteropServices;
using System.Runtime.Loader;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

public sealed class TensorRtRuntimeTests
{
    public TensorRtRuntimeTests() => FakeShim.Install();

    [Fact]
    public void TryLoad_FakeConfigured_ReturnsTrueWithEmptyReason()
    {
        Assert.True(TensorRtRuntime.TryLoad(out string reason));
        Assert.Equal(string.Empty, reason);
        Assert.True(TensorRtRuntime.IsAvailable);
        Assert.Equal(FakeShim.LibraryPath, TensorRtRuntime.LoadedPath);
    }

    [Fact]
    public void GetTensorRtVersion_Fake_ReturnsFakeVersion()
    {
        Assert.Equal(FakeShim.Version, TensorRtRuntime.GetTensorRtVersion());
    }

    [Fact]
    public void GetDeviceName_Fake_ReturnsFakeDevice()
    {
        Assert.Equal(FakeShim.DeviceName, TensorRtRuntime.GetDeviceName());
    }

    [Fact]
    public unsafe void ReadString_BufferTooSmall_GrowsAndReturnsWholeString()
    {
        // 4 bytes cannot hold "Fake GPU (...)": the native side answers BUFFER_TOO_SMALL with the length.
        Assert.Equal(FakeShim.DeviceName, NativeMethods.ReadString(&NativeMethods.DeviceName, initialCapacity: 4));
    }

    [Fact]
    public unsafe void Version_NativeBufferTooSmall_ReturnsStatusLengthAndMessage()
    {
        byte* buffer = stackalloc byte[4];
        int status = NativeMethods.Version(buffer, 4, out int length);
        Assert.Equal((int)TensorRtStatus.BufferTooSmall, status);
        Assert.Equal(FakeShim.Version.Length, length);
        Assert.Equal("fp_trt_version: buffer of 4 bytes is too small, 11 needed", Marshal.PtrToStringUTF8(NativeMethods.LastError()));
    }

    [Fact]
    public unsafe void Version_NativeNullBufferWithCapacity_ReturnsInvalidArgument()
    {
        int status = NativeMethods.Version(null, 16, out _);
        Assert.Equal((int)TensorRtStatus.InvalidArgument, status);
        Assert.Equal("fp_trt_version: buffer is null or capacity 16 is negative", Marshal.PtrToStringUTF8(NativeMethods.LastError()));
    }

    [Fact]
    public void UseLibrary_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => TensorRtRuntime.UseLibrary(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void UseLibrary_EmptyOrWhitespace_ThrowsArgumentException(string path)
    {
        Assert.Throws<ArgumentException>(() => TensorRtRuntime.UseLibrary(path));
    }

    [Fact]
    public void UseLibrary_OtherPathAfterLoad_ThrowsInvalidOperationException()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TensorRtRuntime.UseLibrary("/opt/other/libfp_trt.so"));
        Assert.Contains(FakeShim.LibraryPath, error.Message);
    }

    [Fact]
    public void UseLibrary_SamePathAfterLoad_KeepsLibrary()
    {
        TensorRtRuntime.UseLibrary(FakeShim.LibraryPath);
        Assert.Equal(FakeShim.LibraryPath, TensorRtRuntime.LoadedPath);
    }

    [Fact]
    public void TryLoad_MissingLibrary_ReturnsFalseWithOneLineReason()
    {
        string missing = Path.Combine(Path.GetTempPath(), "fp_trt_missing_dir", "libfp_trt.so");
        (bool loaded, string reason) = TryLoadInFreshContext(missing);
        Assert.False(loaded);
        Assert.Equal($"TensorRT shim not available: {missing}: no such file", reason);
    }

    [Fact]
    public void TryLoad_FileIsNotALibrary_ReturnsFalseWithOneLineReason()
    {
        using var folder = new ModelFolder();
        string bogus = folder.Write("libfp_trt.so", "not an ELF file\nsecond line\n");
        (bool loaded, string reason) = TryLoadInFreshContext(bogus);
        Assert.False(loaded);
        Assert.StartsWith($"TensorRT shim not available: {bogus}: ", reason);
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain('\r', reason);
        Assert.DoesNotContain("strace", reason); // the runtime's generic advice is dropped, dlerror's text kept
    }

    [Fact]
    public void TryOpen_LibraryWithoutShimExports_ReturnsFalseNamingTheMissingExport()
    {
        // libm is on every glibc system and certainly does not export fp_trt_abi_version.
        Assert.False(ShimLoader.TryOpen(["libm.so.6"], out nint handle, out string path, out string reason));
        Assert.Equal(0, handle);
        Assert.Equal(string.Empty, path);
        Assert.Equal("TensorRT shim not available: libm.so.6: loads but does not export fp_trt_abi_version (not an fp_trt shim)", reason);
    }

    [Fact]
    public void TryOpen_SecondCandidateLoads_ReturnsItsPath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "fp_trt_missing_dir", "libfp_trt.so");
        Assert.True(ShimLoader.TryOpen([missing, FakeShim.LibraryPath], out nint handle, out string path, out string reason));
        Assert.NotEqual(0, handle);
        Assert.Equal(FakeShim.LibraryPath, path);
        Assert.Equal(string.Empty, reason);
        NativeLibrary.Free(handle); // balances this extra dlopen; the binding's own handle stays open
    }

    [Fact]
    public void Candidates_ExplicitPath_IsTheOnlyCandidate()
    {
        Assert.Equal(["/x/libfp_trt.so"], ShimLoader.Candidates("/x/libfp_trt.so", "/env/libfp_trt.so", "/asm"));
    }

    [Fact]
    public void Candidates_EnvironmentOnly_IsTheOnlyCandidate()
    {
        Assert.Equal(["/env/libfp_trt.so"], ShimLoader.Candidates(null, "/env/libfp_trt.so", "/asm"));
    }

    [Fact]
    public void Candidates_NothingConfigured_AppFolderThenAssemblyFolderThenLoaderSearch()
    {
        var candidates = ShimLoader.Candidates(null, null, "/asm");
        Assert.Equal(
            [Path.Combine(AppContext.BaseDirectory, "libfp_trt.so"), "/asm/libfp_trt.so", "libfp_trt.so"],
            candidates);
    }

    [Fact]
    public void LoaderText_RuntimeMessage_KeepsOnlyDlerrorText()
    {
        const string message = "Unable to load shared library 'libfp_trt.so' or one of its dependencies. In order to help "
            + "diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the "
            + "LD_DEBUG environment variable: \nlibnvinfer.so.10: cannot open shared object file: No such file or directory";
        Assert.Equal("libnvinfer.so.10: cannot open shared object file: No such file or directory", ShimLoader.LoaderText(message));
    }

    [Fact]
    public void LoaderText_UnknownShape_KeepsWholeMessageOnOneLine()
    {
        Assert.Equal("something else entirely", ShimLoader.LoaderText("something else\nentirely"));
    }

    [Fact]
    public void OneLine_MultiLineMessage_JoinsWithSpaces()
    {
        Assert.Equal("a b c", ShimLoader.OneLine("a\r\n  b\n\nc\n"));
    }

    /// <summary>
    /// A second copy of the binding in a collectible load context has its own (unloaded) state, so the
    /// public availability check can be exercised against a missing library in this same process.
    /// </summary>
    private static (bool Loaded, string Reason) TryLoadInFreshContext(string libraryPath)
    {
        var context = new AssemblyLoadContext(nameof(TryLoadInFreshContext), isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(typeof(TensorRtRuntime).Assembly.Location);
            var runtime = assembly.GetType(typeof(TensorRtRuntime).FullName!, throwOnError: true)!;
            Assert.NotSame(typeof(TensorRtRuntime), runtime);
            runtime.GetMethod(nameof(TensorRtRuntime.UseLibrary))!.Invoke(null, [libraryPath]);
            object?[] arguments = [null];
            bool loaded = (bool)runtime.GetMethod(nameof(TensorRtRuntime.TryLoad))!.Invoke(null, arguments)!;
            return (loaded, (string)arguments[0]!);
        }
        finally
        {
            context.Unload();
        }
    }
}
