using System.Text.RegularExpressions;

namespace DendriteAspire.SlackImport.Text;

/// <summary>
/// Slack's <c>:shortcode:</c> names to Unicode, for text and reactions. The common set a family uses; an unknown
/// name (a custom workspace emoji) stays <c>:name:</c>, which is how Slack itself shows a removed custom emoji.
/// </summary>
public static partial class Emoji
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["+1"] = "👍", ["thumbsup"] = "👍", ["-1"] = "👎", ["thumbsdown"] = "👎", ["heart"] = "❤️", ["smile"] = "😄",
        ["smiley"] = "😃", ["grinning"] = "😀", ["grin"] = "😁", ["joy"] = "😂", ["rofl"] = "🤣", ["laughing"] = "😆",
        ["satisfied"] = "😆", ["sweat_smile"] = "😅", ["wink"] = "😉", ["blush"] = "😊", ["innocent"] = "😇",
        ["slightly_smiling_face"] = "🙂", ["upside_down_face"] = "🙃", ["heart_eyes"] = "😍", ["kissing_heart"] = "😘",
        ["yum"] = "😋", ["stuck_out_tongue"] = "😛", ["stuck_out_tongue_winking_eye"] = "😜", ["thinking_face"] = "🤔",
        ["neutral_face"] = "😐", ["expressionless"] = "😑", ["unamused"] = "😒", ["roll_eyes"] = "🙄", ["face_with_rolling_eyes"] = "🙄",
        ["grimacing"] = "😬", ["relieved"] = "😌", ["pensive"] = "😔", ["sleepy"] = "😪", ["sleeping"] = "😴", ["mask"] = "😷",
        ["sunglasses"] = "😎", ["confused"] = "😕", ["worried"] = "😟", ["open_mouth"] = "😮", ["astonished"] = "😲",
        ["flushed"] = "😳", ["pleading_face"] = "🥺", ["cry"] = "😢", ["sob"] = "😭", ["scream"] = "😱", ["angry"] = "😠",
        ["rage"] = "😡", ["skull"] = "💀", ["poop"] = "💩", ["hankey"] = "💩", ["clown_face"] = "🤡", ["ghost"] = "👻",
        ["see_no_evil"] = "🙈", ["hugging_face"] = "🤗", ["hugs"] = "🤗", ["partying_face"] = "🥳", ["star-struck"] = "🤩",
        ["wave"] = "👋", ["ok_hand"] = "👌", ["v"] = "✌️", ["crossed_fingers"] = "🤞", ["clap"] = "👏", ["raised_hands"] = "🙌",
        ["pray"] = "🙏", ["muscle"] = "💪", ["point_up"] = "☝️", ["point_right"] = "👉", ["eyes"] = "👀", ["facepalm"] = "🤦",
        ["shrug"] = "🤷", ["white_check_mark"] = "✅", ["heavy_check_mark"] = "✔️", ["x"] = "❌", ["warning"] = "⚠️",
        ["question"] = "❓", ["exclamation"] = "❗", ["100"] = "💯", ["fire"] = "🔥", ["tada"] = "🎉", ["sparkles"] = "✨",
        ["star"] = "⭐", ["zap"] = "⚡", ["boom"] = "💥", ["rocket"] = "🚀", ["gift"] = "🎁", ["birthday"] = "🎂",
        ["balloon"] = "🎈", ["christmas_tree"] = "🎄", ["santa"] = "🎅", ["jack_o_lantern"] = "🎃", ["sunny"] = "☀️",
        ["cloud"] = "☁️", ["umbrella"] = "☔", ["snowflake"] = "❄️", ["snowman"] = "⛄", ["rainbow"] = "🌈", ["sun_with_face"] = "🌞",
        ["dog"] = "🐶", ["cat"] = "🐱", ["cat2"] = "🐈", ["dog2"] = "🐕", ["unicorn_face"] = "🦄", ["bear"] = "🐻", ["panda_face"] = "🐼",
        ["coffee"] = "☕", ["tea"] = "🍵", ["beer"] = "🍺", ["beers"] = "🍻", ["wine_glass"] = "🍷", ["pizza"] = "🍕",
        ["hamburger"] = "🍔", ["cake"] = "🍰", ["cookie"] = "🍪", ["apple"] = "🍎", ["car"] = "🚗", ["airplane"] = "✈️",
        ["house"] = "🏠", ["camera"] = "📷", ["phone"] = "☎️", ["iphone"] = "📱", ["computer"] = "💻", ["email"] = "📧",
        ["calendar"] = "📆", ["memo"] = "📝", ["pencil"] = "📝", ["books"] = "📚", ["bulb"] = "💡", ["moneybag"] = "💰",
        ["soccer"] = "⚽", ["basketball"] = "🏀", ["trophy"] = "🏆", ["medal"] = "🏅", ["musical_note"] = "🎵", ["notes"] = "🎶",
        ["baby"] = "👶", ["family"] = "👪", ["broken_heart"] = "💔", ["two_hearts"] = "💕", ["sparkling_heart"] = "💖",
        ["blue_heart"] = "💙", ["green_heart"] = "💚", ["yellow_heart"] = "💛", ["purple_heart"] = "💜", ["kiss"] = "💋",
        ["ok"] = "🆗", ["new"] = "🆕", ["cool"] = "🆒", ["sos"] = "🆘", ["heavy_plus_sign"] = "➕", ["heavy_minus_sign"] = "➖",
        ["arrow_right"] = "➡️", ["arrow_left"] = "⬅️", ["arrow_up"] = "⬆️", ["arrow_down"] = "⬇️", ["repeat"] = "🔁",
        ["lock"] = "🔒", ["key"] = "🔑", ["bell"] = "🔔", ["link"] = "🔗", ["pushpin"] = "📌", ["mag"] = "🔍",
        ["hourglass"] = "⌛", ["alarm_clock"] = "⏰", ["watch"] = "⌚", ["hammer"] = "🔨", ["wrench"] = "🔧", ["gear"] = "⚙️",
        ["earth_africa"] = "🌍", ["earth_americas"] = "🌎", ["globe_with_meridians"] = "🌐", ["palm_tree"] = "🌴",
        ["beach_with_umbrella"] = "🏖️", ["mountain"] = "⛰️", ["tent"] = "⛺", ["sweat"] = "😓", ["disappointed"] = "😞",
        ["slightly_frowning_face"] = "🙁", ["white_frowning_face"] = "☹️", ["nerd_face"] = "🤓", ["zany_face"] = "🤪",
        ["money_mouth_face"] = "🤑", ["sweat_drops"] = "💦", ["dash"] = "💨", ["zzz"] = "💤", ["speech_balloon"] = "💬",
        ["raising_hand"] = "🙋", ["bow"] = "🙇", ["man-shrugging"] = "🤷‍♂️", ["woman-shrugging"] = "🤷‍♀️",
        ["man-facepalming"] = "🤦‍♂️", ["woman-facepalming"] = "🤦‍♀️", ["simple_smile"] = "🙂", ["slightly_smiling"] = "🙂",
    };

    private static readonly string[] SkinTones = ["", "", "🏻", "🏼", "🏽", "🏾", "🏿"];

    /// <summary>The Unicode for a shortcode (with or without colons, with a <c>::skin-tone-N</c> suffix); null when unknown.</summary>
    public static string? Lookup(string shortcode)
    {
        ArgumentNullException.ThrowIfNull(shortcode);
        var name = shortcode.Trim(':');
        var tone = "";
        var toneAt = name.IndexOf("::skin-tone-", StringComparison.Ordinal);
        if (toneAt > 0 && int.TryParse(name[(toneAt + 12)..], out var level) && level is >= 2 and <= 6)
        {
            tone = SkinTones[level];
            name = name[..toneAt];
        }

        return Names.TryGetValue(name, out var emoji) ? emoji + tone : null;
    }

    /// <summary>For a reaction key: the Unicode, else the shortcode with colons as Slack shows it.</summary>
    public static string ForReaction(string name) => Lookup(name) ?? ":" + name.Trim(':') + ":";

    /// <summary>Replaces every known <c>:shortcode:</c> in <paramref name="text"/>; unknown ones stay.</summary>
    public static string Replace(string text) =>
        Shortcode().Replace(text, m => Lookup(m.Value) ?? m.Value);

    [GeneratedRegex(@":[a-z0-9_+\-']+:(?::skin-tone-[2-6]:)?")]
    private static partial Regex Shortcode();
}
