using System.Text;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

public sealed class TrtEngineBuildTests
{
    private const string Spec = """
        # a two-input, two-output network
        input data -1 3 32 32
        input mask -1 5
        output logits -1 10
        output features -1 4 2 2
        """;

    private const string FakeKeySuffix = ".trt0.0.0-fake.Fake_GPU__fp_trt_fake__no_CUDA_";

    [Fact]
    public void Build_DynamicBatch_ReportsTensorsWithBatchSubstituted()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 8);

        Assert.Equal(8, engine.Batch);
        Assert.False(engine.StrictFp32);
        Assert.Equal(["data", "mask", "logits", "features"], engine.Tensors.Select(t => t.Name));
        Assert.Equal([true, true, false, false], engine.Tensors.Select(t => t.IsInput));
        Assert.Equal<long>([8, 3, 32, 32], engine.Tensors[0].Shape);
        Assert.Equal<long>([8, 5], engine.Tensors[1].Shape);
        Assert.Equal<long>([8, 10], engine.Tensors[2].Shape);
        Assert.Equal<long>([8, 4, 2, 2], engine.Tensors[3].Shape);
        Assert.Equal(["data", "mask"], engine.Inputs.Select(t => t.Name));
        Assert.Equal(["logits", "features"], engine.Outputs.Select(t => t.Name));
        Assert.Equal(8L * 3 * 32 * 32, engine.Tensors[0].ElementCount);
        Assert.Equal("input data [8, 3, 32, 32]", engine.Tensors[0].ToString());
    }

    [Fact]
    public void Build_RankEightTensor_ReturnsAllEightDims()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("deep.onnx", "input x -1 2 3 4 5 6 7 8\noutput y -1 1\n"), batch: 9);
        Assert.Equal<long>([9, 2, 3, 4, 5, 6, 7, 8], engine.Tensors[0].Shape);
    }

    [Fact]
    public void Build_FixedBatchEqualToRequest_Succeeds()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("fixed.onnx", "input x 4 3\noutput y 4 2\n"), batch: 4);
        Assert.Equal<long>([4, 3], engine.Inputs.Single().Shape);
    }

    [Fact]
    public void Build_FirstTime_WritesCacheNamedByContentHashVersionDeviceBatchAndPrecision()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        ulong hash = FakeShim.Fnv1a64(File.ReadAllBytes(model));

        using var engine = TrtEngine.Build(model, batch: 8);

        Assert.False(engine.LoadedFromCache);
        Assert.Equal(Path.Combine(folder.Path, $"net.{hash:x16}{FakeKeySuffix}.b8.tf32.trtcache"), engine.CachePath);
        Assert.Equal("FPTRTFAKE1\n" + Spec, File.ReadAllText(engine.CachePath));
        Assert.Equal([Path.GetFileName(engine.CachePath), "net.onnx"], folder.FileNames());
    }

    [Fact]
    public void Build_SecondTimeSameKey_LoadsFromCache()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        using var first = TrtEngine.Build(model, batch: 8);
        using var second = TrtEngine.Build(model, batch: 8);

        Assert.False(first.LoadedFromCache);
        Assert.True(second.LoadedFromCache);
        Assert.Equal(first.CachePath, second.CachePath);
        Assert.Equal(first.Tensors.Select(t => t.ToString()), second.Tensors.Select(t => t.ToString()));
    }

    [Fact]
    public void Build_DifferentBatchOrStrictFlag_UsesSeparateCacheFiles()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        using var tf32 = TrtEngine.Build(model, batch: 8);
        using var strict = TrtEngine.Build(model, batch: 8, strictFp32: true);
        using var batch16 = TrtEngine.Build(model, batch: 16);

        Assert.False(strict.LoadedFromCache);
        Assert.False(batch16.LoadedFromCache);
        Assert.True(strict.StrictFp32);
        Assert.EndsWith(".b8.fp32.trtcache", strict.CachePath);
        Assert.EndsWith(".b16.tf32.trtcache", batch16.CachePath);
        Assert.Equal(3, new[] { tf32.CachePath, strict.CachePath, batch16.CachePath }.Distinct().Count());
    }

    [Fact]
    public void Build_ModelContentChanged_BuildsUnderNewKey()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        string oldCache;
        using (var before = TrtEngine.Build(model, batch: 2))
        {
            oldCache = before.CachePath;
        }
        folder.Write("net.onnx", Spec.Replace("-1 10", "-1 11", StringComparison.Ordinal));

        using var after = TrtEngine.Build(model, batch: 2);

        Assert.False(after.LoadedFromCache);
        Assert.NotEqual(oldCache, after.CachePath);
        Assert.Equal<long>([2, 11], after.Tensors.Single(t => t.Name == "logits").Shape);
    }

    [Fact]
    public void Build_CorruptCache_RebuildsAndOverwrites()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        string cache;
        using (var first = TrtEngine.Build(model, batch: 8))
        {
            cache = first.CachePath;
        }
        File.WriteAllBytes(cache, [0xde, 0xad, 0xbe, 0xef]);

        using var rebuilt = TrtEngine.Build(model, batch: 8);

        Assert.False(rebuilt.LoadedFromCache);
        Assert.Equal("FPTRTFAKE1\n" + Spec, File.ReadAllText(cache));
    }

    [Fact]
    public void Build_CacheDir_WritesCacheThereAndNothingNextToModel()
    {
        using var folder = new ModelFolder();
        using var caches = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);

        using var engine = TrtEngine.Build(model, batch: 8, cacheDir: caches.Path + "/");

        Assert.Equal(caches.Path, Path.GetDirectoryName(engine.CachePath));
        Assert.Equal(["net.onnx"], folder.FileNames());
        Assert.Equal([Path.GetFileName(engine.CachePath)], caches.FileNames());
    }

    [Fact]
    public void Build_CacheDirMissing_ThrowsIoNamingTheFile()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        string missing = Path.Combine(folder.Path, "no_such_dir");

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(model, batch: 8, cacheDir: missing));

        Assert.Equal(TensorRtStatus.Io, error.Status);
        Assert.Equal(2, error.NativeCode);
        Assert.StartsWith($"cache '{missing}/net.", error.Message);
        Assert.EndsWith("' cannot be created: No such file or directory", error.Message);
        Assert.Equal(["net.onnx"], folder.FileNames()); // nothing partial left behind
    }

    [Fact]
    public void Build_NonAsciiPath_RoundTripsThroughUtf8()
    {
        using var folder = new ModelFolder();
        string model = folder.Write(Path.Combine("données", "modèle-ü.onnx"), Spec);

        using var engine = TrtEngine.Build(model, batch: 1);

        string expected = $"modèle-ü.{FakeShim.Fnv1a64(Encoding.UTF8.GetBytes(Spec)):x16}{FakeKeySuffix}.b1.tf32.trtcache";
        Assert.Equal(Path.Combine(folder.Path, "données", expected), engine.CachePath);
        Assert.True(File.Exists(engine.CachePath));
    }

    [Fact]
    public void Build_RelativePath_ReportsAbsoluteCachePath()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, model);

        using var engine = TrtEngine.Build(relative, batch: 8);

        Assert.True(Path.IsPathRooted(engine.CachePath));
        Assert.Equal(folder.Path, Path.GetDirectoryName(engine.CachePath));
    }
}
