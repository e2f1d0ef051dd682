using System.Globalization;

namespace FastPrune.Data;

/// <summary>A cursor over the tiny subset of Python literals an .npy header uses: 'str', True/False, (int, …).</summary>
internal ref struct DictLiteralParser(string text, string path)
{
    private readonly string _text = text;
    private readonly string _path = path;
    private int _pos;

    public void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Fail($"expected '{c}'");
        }
    }

    public bool TryConsume(char c)
    {
        SkipSpace();
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    public string ReadString()
    {
        SkipSpace();
        if (_pos >= _text.Length || _text[_pos] is not ('\'' or '"'))
        {
            throw Fail("expected a quoted string");
        }
        char q = _text[_pos++];
        int end = _text.IndexOf(q, _pos);
        if (end < 0)
        {
            throw Fail("unterminated string");
        }
        string s = _text[_pos..end];
        _pos = end + 1;
        return s;
    }

    public bool ReadBool()
    {
        SkipSpace();
        foreach ((string word, bool value) in new[] { ("True", true), ("False", false) })
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return value;
            }
        }
        throw Fail("expected True or False");
    }

    public long[] ReadIntTuple()
    {
        Expect('(');
        var dims = new List<long>();
        while (!TryConsume(')'))
        {
            SkipSpace();
            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == 'L'))
            {
                _pos++;
            }
            // Python 2 wrote longs as 3L.
            if (!long.TryParse(_text.AsSpan(start, _pos - start).TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long d))
            {
                throw Fail("expected a non-negative integer in shape");
            }
            dims.Add(d);
            if (!TryConsume(','))
            {
                Expect(')');
                break;
            }
        }
        return [.. dims];
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private readonly DataException Fail(string what) =>
        new(_path, $"malformed .npy header at character {_pos}: {what}");
}
