using Google.Protobuf.Reflection;

namespace FastPrune.Graph;

/// <summary>
/// Counts, before a model file is parsed, the protobuf entries the parser would turn into objects: every
/// message (nodes, attributes, tensors, value infos, shape dims …), every string or bytes value and every field
/// the schema does not declare (kept as an unknown field). Each of them costs a managed object of 30–200 bytes
/// for as little as 2 bytes of file, so a 10 MB file of empty nodes held 1.2 GB after parsing; counting them
/// first refuses such a file with the memory still unspent. Scalars and the bytes of raw_data cost no more in
/// memory than on disk and are skipped.
/// </summary>
/// <remarks>
/// The walk reads the wire format only as far as it needs: lengths, tags and varints, driven by the message
/// descriptors of the generated ONNX classes, with an explicit stack of open messages (a hostile nesting must
/// not exhaust the call stack). Anything malformed ends the count quietly: the real parse that follows reports
/// it with the protobuf library's own message.
/// </remarks>
internal static class ProtoEntryBudget
{
    /// <summary>
    /// The most entries a model may hold: 4 million, about 600 MB once parsed. DeiT-Base holds about 20 thousand
    /// and a 7B-parameter language model exported op by op a few hundred thousand.
    /// </summary>
    public const long MaxEntries = 4_000_000;

    /// <summary>Counts the entries of the serialized <paramref name="root"/> message in <paramref name="stream"/>, from its position to its end.</summary>
    /// <exception cref="ModelFormatException">The stream holds more than <paramref name="limit"/> entries.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static long Check(Stream stream, MessageDescriptor root, long limit = MaxEntries)
    {
        var reader = new WireReader(stream);
        var open = new Stack<(MessageDescriptor? Type, long End)>();
        open.Push((root, stream.Length));
        long entries = 0;
        while (open.Count > 0)
        {
            var (type, end) = open.Peek();
            if (reader.Position >= end)
            {
                open.Pop();
                continue;
            }
            if (!reader.TryReadVarint(out ulong tag) || tag >> 3 is 0 or > int.MaxValue)
                return entries;
            int wire = (int)(tag & 7);
            FieldDescriptor? field = type?.FindFieldByNumber((int)(tag >> 3));
            bool counted = field is null || field.FieldType is FieldType.Message or FieldType.String or FieldType.Bytes or FieldType.Group;
            if (counted && ++entries > limit)
                throw new ModelFormatException($"holds more than {limit} protobuf entries (nodes, attributes, tensors, dims, strings); refused before parsing to bound memory");
            switch (wire)
            {
                case 0:
                    if (!reader.TryReadVarint(out _)) return entries;
                    break;
                case 1:
                    reader.Skip(8);
                    break;
                case 5:
                    reader.Skip(4);
                    break;
                case 2:
                    if (!reader.TryReadVarint(out ulong length) || length > (ulong)(end - reader.Position))
                        return entries;
                    long fieldEnd = reader.Position + (long)length;
                    if (field?.FieldType == FieldType.Message)
                        open.Push((field.MessageType, fieldEnd)); // walk into it; popped at its end
                    else
                        reader.Skip((long)length);
                    break;
                default:
                    return entries; // groups (deprecated) and invalid wire types: the parser decides
            }
        }
        return entries;
    }

    // A forward-only reader over a buffered stream that tracks its position and skips by seeking.
    private sealed class WireReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _count;
        private int _next;
        private long _bufferStart = stream.Position;

        public long Position => _bufferStart + _next;

        public bool TryReadVarint(out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_next == _count && !Fill())
                    return false;
                byte b = _buffer[_next++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return true;
            }
            return false;
        }

        public void Skip(long bytes)
        {
            long target = Position + bytes;
            if (target <= _bufferStart + _count)
            {
                _next = (int)(target - _bufferStart);
                return;
            }
            stream.Position = Math.Min(target, stream.Length);
            _bufferStart = stream.Position;
            _count = _next = 0;
        }

        private bool Fill()
        {
            _bufferStart += _count;
            _count = stream.Read(_buffer, 0, _buffer.Length);
            _next = 0;
            return _count > 0;
        }
    }
}
