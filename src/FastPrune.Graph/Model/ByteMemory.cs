using System.Buffers;
using System.Runtime.InteropServices;

namespace FastPrune.Graph;

/// <summary>Reinterprets a <see cref="ReadOnlyMemory{T}"/> of bytes as memory of another unmanaged type, without copying.</summary>
internal static class ByteMemory
{
    public static ReadOnlyMemory<T> Cast<T>(ReadOnlyMemory<byte> bytes) where T : unmanaged =>
        new CastManager<T>(MemoryMarshal.AsMemory(bytes)).Memory;

    // A MemoryManager is the supported way to hand out Memory<T> over storage of another element type;
    // the bytes stay owned by the protobuf ByteString they came from.
    private sealed class CastManager<T>(Memory<byte> bytes) : MemoryManager<T> where T : unmanaged
    {
        public override Span<T> GetSpan() => MemoryMarshal.Cast<byte, T>(bytes.Span);

        public override MemoryHandle Pin(int elementIndex = 0) =>
            bytes.Slice(elementIndex * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()).Pin();

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
