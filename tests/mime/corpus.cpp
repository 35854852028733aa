#include "corpus.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace smtpcore::mime::test {
namespace {

std::string json_escape(const std::string& s) {
    std::string o = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            o += buf;
        } else {
            o += static_cast<char>(c);
        }
    }
    return o + "\"";
}

std::string json_pairs(const std::vector<std::pair<std::string, std::string>>& v) {
    std::string j = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        j += (i ? "," : "") + std::string("[") + json_escape(v[i].first) + "," + json_escape(v[i].second) + "]";
    return j + "]";
}

}  // namespace

void write_file(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::binary);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string manifest_entry(const Expect& e) {
    std::string j = "{\"eml\":" + json_escape(e.eml) + ",\"subject\":" + json_escape(e.subject) +
                    ",\"from_name\":" + json_escape(e.from_name) + ",\"from_addr\":" + json_escape(e.from_addr) +
                    ",\"text\":" + json_escape(e.text_path) + ",\"to\":" + json_pairs(e.to) +
                    ",\"headers\":" + json_pairs(e.headers) + ",\"attachments\":[";
    for (std::size_t i = 0; i < e.atts.size(); ++i)
        j += (i ? "," : "") + std::string("{\"filename\":") + json_escape(e.atts[i].filename) +
             ",\"content_type\":" + json_escape(e.atts[i].content_type) + ",\"path\":" + json_escape(e.atts[i].path) +
             ",\"charset\":" + json_escape(e.atts[i].charset) + ",\"exact\":" + (e.atts[i].exact ? "true" : "false") +
             "}";
    return j + "]}";
}

std::string record_sample(const std::string& dir, Sample& s, Expect e, const std::vector<std::size_t>& windows) {
    const std::string out = write_all(s.msg, windows);
    if (out.rfind("FAILED", 0) == 0 || out.rfind("START", 0) == 0) {
        std::fprintf(stderr, "%s: %s\n", s.name.c_str(), out.c_str());
        std::exit(1);
    }
    e.eml = dir + "/" + s.name + ".eml";
    write_file(e.eml, out);
    e.subject = std::string(s.msg.subject);
    e.from_name = std::string(s.msg.from.name);
    e.from_addr = std::string(s.msg.from.address);
    for (const Mailbox& m : s.to) e.to.emplace_back(std::string(m.name), std::string(m.address));
    e.text_path = dir + "/" + s.name + ".text";
    write_file(e.text_path, s.msg.text != nullptr ? std::string(s.text.data.data(), s.text.data.size()) : "");
    // Attachments the caller did not describe: their data, as buffers.
    for (std::size_t i = e.atts.size(); i < s.attachments.size(); ++i) {
        const Part& p = s.attachments[i];
        const std::string path = dir + "/" + s.name + ".att" + std::to_string(i);
        write_file(path, std::string(p.data.data(), p.data.size()));
        const bool text = p.content_type.rfind("text/", 0) == 0;
        e.atts.push_back({std::string(p.filename), std::string(p.content_type), path,
                          text ? std::string(p.charset) : std::string(), !text});
    }
    return manifest_entry(e);
}

}  // namespace smtpcore::mime::test
