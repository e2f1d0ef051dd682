using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;

namespace FastPrune.Runtime;

/// <summary>Deterministic benchmark inputs: uniform values in [−1, 1) for floating types, zeros otherwise.</summary>
internal static class InputFill
{
    /// <summary>
    /// Fills <paramref name="destination"/> (raw tensor bytes of ONNX type <paramref name="elementType"/>).
    /// Integers and booleans get zeros, which are valid as indices and token ids.
    /// </summary>
    public static void Fill(Span<byte> destination, int elementType, int seed)
    {
        // FastPrune's one generator: the inputs stay the same across .NET versions, as System.Random's need not.
        var rng = new Xoshiro256(unchecked((ulong)seed));
        switch ((TensorProto.Types.DataType)elementType)
        {
            case TensorProto.Types.DataType.Float:
                foreach (ref float v in MemoryMarshal.Cast<byte, float>(destination)) v = (rng.NextSingle() * 2) - 1;
                break;
            case TensorProto.Types.DataType.Double:
                foreach (ref double v in MemoryMarshal.Cast<byte, double>(destination)) v = (rng.NextDouble() * 2) - 1;
                break;
            case TensorProto.Types.DataType.Float16:
                foreach (ref Half v in MemoryMarshal.Cast<byte, Half>(destination)) v = (Half)((rng.NextSingle() * 2) - 1);
                break;
            case TensorProto.Types.DataType.Bfloat16:
                // bfloat16 is the top half of a float32's bits.
                foreach (ref ushort v in MemoryMarshal.Cast<byte, ushort>(destination))
                    v = (ushort)(BitConverter.SingleToUInt32Bits((rng.NextSingle() * 2) - 1) >> 16);
                break;
            default:
                destination.Clear();
                break;
        }
    }
}
