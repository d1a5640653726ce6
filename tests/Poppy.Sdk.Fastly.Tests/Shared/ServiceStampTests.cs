using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Fastly.Tests.Shared;

public class ServiceStampTests
{
    [Fact]
    public void Format_ServiceId_IsPrefixAndId()
    {
        Assert.Equal("poppy:service_id=svc-1", ServiceStamp.Format("svc-1"));
    }

    [Theory]
    [InlineData("poppy:service_id=svc-1", "svc-1")]
    [InlineData("poppy:service_id=svc-1 edited by hand", "svc-1")]
    [InlineData("poppy:service_id=svc-1\nmore", "svc-1")]
    [InlineData("poppy:service_id=", null)]
    [InlineData("svc-1", null)]
    [InlineData(null, null)]
    public void Parse_Text_YieldsTheServiceId(string? text, string? expected)
    {
        Assert.Equal(expected, ServiceStamp.Parse(text));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\tin", false)]
    [InlineData("svc-1", true)]
    public void Problem_ServiceId_RejectsWhatWouldEndTheStampEarly(string id, bool valid)
    {
        Assert.Equal(valid, ServiceStamp.Problem(id) is null);
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => ServiceStamp.Format(id));
        }
    }

    [Fact]
    public void Problem_TooLong_IsReported()
    {
        Assert.Contains("257", ServiceStamp.Problem(new string('a', 257)), StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_ShortField_ComparesTheCutStamp()
    {
        var id = new string('a', 200);
        var stamp = ServiceStamp.Format(id, 128);

        Assert.Equal(128, stamp.Length);
        Assert.True(ServiceStamp.Matches(stamp, id, 128));
        Assert.False(ServiceStamp.Matches(stamp, id));
        Assert.False(ServiceStamp.Matches(stamp, new string('b', 200), 128));
        Assert.True(ServiceStamp.Matches("poppy:service_id=svc-1", "svc-1"));
        Assert.False(ServiceStamp.Matches("poppy:service_id=svc-10", "svc-1"));
    }
}
