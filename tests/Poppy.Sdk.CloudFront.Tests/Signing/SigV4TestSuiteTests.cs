using System.Globalization;
using System.Text;
using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.CloudFront.Tests.Signing;

/// <summary>Every case of AWS's official Signature Version 4 test suite, read at test time from the repository's own copy under tests/vectors.</summary>
public sealed class SigV4TestSuiteTests
{
    private static readonly AwsCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    public static IEnumerable<object[]> Cases()
    {
        var root = SuiteRoot();
        return Directory.EnumerateFiles(root, "*.req", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(c => new object[] { c });
    }

    [Fact]
    public void Cases_AllFoundOnDisk()
    {
        // 31 cases of the 2015 suite + 4 of botocore's 2019 revision; fewer means the vectors are missing or moved.
        Assert.Equal(35, Cases().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sign_OfficialCase_MatchesCanonicalRequestStringToSignAndAuthorization(string caseName)
    {
        var dir = Path.Combine(SuiteRoot(), caseName);
        var name = Path.GetFileName(caseName);
        var botocore = caseName.StartsWith("botocore-2019-revision/", StringComparison.Ordinal);
        var request = ParseRequest(Read(dir, name, "req"), stripTrailingNewline: botocore, foldWithSpaces: botocore);
        var credentials = SuiteCredentials;
        if (name == "get-vanilla-with-session-token")
        {
            // The signer must add and sign the token itself; its value is in the signed request.
            var token = Read(dir, name, "sreq").Split('\n').Single(l => l.StartsWith("X-Amz-Security-Token:", StringComparison.OrdinalIgnoreCase));
            credentials = credentials with { SessionToken = token[(token.IndexOf(':', StringComparison.Ordinal) + 1)..] };
        }

        var time = DateTimeOffset.ParseExact(request.Headers.First(h => h.Key.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)).Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        var signature = AwsSigV4Signer.Sign(
            request.Method,
            request.Path,
            request.Query,
            request.Headers,
            AwsSigV4Signer.HashPayload(Encoding.UTF8.GetBytes(request.Body)),
            credentials,
            "us-east-1",
            "service",
            time);

        Assert.Equal(Read(dir, name, "creq"), signature.CanonicalRequest);
        Assert.Equal(Read(dir, name, "sts"), signature.StringToSign);
        Assert.Equal(Read(dir, name, "authz"), signature.Authorization);
    }

    private static string Read(string dir, string name, string extension)
    {
        var text = File.ReadAllText(Path.Combine(dir, $"{name}.{extension}"), Encoding.UTF8);
        return extension == "req" ? text : text.TrimEnd('\n');
    }

    private static (string Method, string Path, string Query, List<KeyValuePair<string, string>> Headers, string Body) ParseRequest(string text, bool stripTrailingNewline, bool foldWithSpaces)
    {
        if (stripTrailingNewline && text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = blank < 0 ? text : text[..blank];
        var body = blank < 0 ? "" : text[(blank + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(q < 0 ? target : target[..q]);
        var query = q < 0 ? "" : target[(q + 1)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]))
            {
                // Obsolete line folding: the 2015 suite treats each continuation as another value (comma-joined),
                // botocore's 2019 revision folds it into the previous value with a space.
                var last = headers[^1];
                if (foldWithSpaces)
                {
                    headers[^1] = new(last.Key, last.Value + " " + line.Trim());
                }
                else
                {
                    headers.Add(new(last.Key, line.Trim()));
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        return (method, path, query, headers, body);
    }

    private static string SuiteRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Poppy.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "tests", "vectors", "aws-sig-v4-test-suite"));
        if (root is null || !Directory.Exists(root))
        {
            throw new DirectoryNotFoundException("The AWS SigV4 test suite was not found at tests/vectors/aws-sig-v4-test-suite in the repository.");
        }

        return root;
    }
}
