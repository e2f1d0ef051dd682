using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using Xunit;

namespace FastPrune.Graph.Tests.Building;

public sealed class TensorsAndAttrTests
{
    [Fact]
    public void Float_DataShorterThanShape_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => Tensors.Float("t", [2, 3], new float[5]));

    [Fact]
    public void Int64_NegativeDim_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => Tensors.Int64("t", [-1], new long[1]));

    [Fact]
    public void Raw_ByteCountNotMultipleOfElement_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => Tensors.Raw("t", [1], ElemType.Float, new byte[5]));

    [Fact]
    public void Raw_NullData_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Tensors.Raw("t", [1], ElemType.Float, null!));

    [Fact]
    public void Float_NullName_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Tensors.Float(null!, [1], [1f]));

    [Fact]
    public void ElementSize_Undefined_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensors.ElementSize(ElemType.Undefined));

    [Fact]
    public void Raw_WrapsWithoutCopy()
    {
        byte[] raw = new byte[8];
        var t = Tensors.Raw("t", [2], ElemType.Float, raw);

        raw[0] = 42; // the documented aliasing: the message sees later writes

        Assert.Equal(42, t.RawData.Span[0]);
        Assert.Equal((int)TensorProto.Types.DataType.Float, t.DataType);
    }

    [Fact]
    public void Float_Data_StoredLittleEndianInRawData()
    {
        float[] data = [1.5f, -2f, 3.25f];

        var t = Tensors.Float("t", [3], data);

        Assert.Equal(data, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray());
        Assert.Empty(t.FloatData);
    }

    [Fact]
    public void Int_EmptyName_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => Attrs.Int("", 1));

    [Fact]
    public void String_NullValue_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Attrs.String("mode", null!));

    [Fact]
    public void Tensor_NullValue_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Attrs.Tensor("value", null!));

    [Fact]
    public void Factories_SetTypeAndValue()
    {
        Assert.Equal((AttributeProto.Types.AttributeType.Int, 3L), (Attrs.Int("a", 3).Type, Attrs.Int("a", 3).I));
        Assert.Equal([1L, 2L], Attrs.Ints("a", 1, 2).Ints);
        Assert.Equal(AttributeProto.Types.AttributeType.Ints, Attrs.Ints("a", 1, 2).Type);
        Assert.Equal(0.5f, Attrs.Float("a", 0.5f).F);
        Assert.Equal([0.5f, 2f], Attrs.Floats("a", 0.5f, 2f).Floats);
        Assert.Equal("NOTSET", Attrs.String("auto_pad", "NOTSET").S.ToStringUtf8());
        Assert.Equal(AttributeProto.Types.AttributeType.Tensor, Attrs.Tensor("value", Tensors.Int64("", [1], [1])).Type);
    }

    [Fact]
    public void Dim_EmptyString_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => { DimSpec d = ""; });

    [Fact]
    public void Dim_Conversions_KeepSizeOrName()
    {
        DimSpec a = 3, b = 4L, c = "batch";

        Assert.Equal((3L, (string?)null), (a.Value, a.Param));
        Assert.Equal(4L, b.Value);
        Assert.Equal("batch", c.Param);
        Assert.Null(DimSpec.Unknown.Value);
        Assert.Null(DimSpec.Unknown.Param);
        Assert.True(a == 3);
        Assert.Equal("?", DimSpec.Unknown.ToString());
    }
}
