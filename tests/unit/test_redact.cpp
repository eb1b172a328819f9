#include <string>

#include <doctest/doctest.h>

#include "ingest/redact.hpp"
#include "unit_helpers.hpp"
#include "util/error.hpp"

using pat::json;

namespace {

// The shipped rules from this source tree, without whatever the person running the tests keeps
// in ~/.config/pattools/redact.rules.
const pat::Redactor& shipped() {
  static const pat::Redactor r = [] {
    static pat_test::TempDir empty_config;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", empty_config.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", std::string(PAT_TEST_DATA) + "/../../share/pattools");
    return pat::Redactor::load_default({});
  }();
  return r;
}

std::string redacted(std::string s) {
  shipped().redact(s);
  return s;
}

// The secret is gone, a mask took its place, and the text around it is kept.
void check_masked(const std::string& before, const std::string& secret, const std::string& kept_prefix,
                  const std::string& kept_suffix = "") {
  CAPTURE(before);
  const std::string after = redacted(before);
  CAPTURE(after);
  CHECK(after.find(secret) == std::string::npos);
  CHECK(after.find("[REDACTED:") != std::string::npos);
  CHECK(after.rfind(kept_prefix, 0) == 0);
  CHECK(after.ends_with(kept_suffix));
}

}  // namespace

TEST_SUITE("redact") {
  TEST_CASE("load_default: the shipped rules load") { CHECK(shipped().size() > 5); }

  TEST_CASE("redact: AWS access key id") {
    CHECK(redacted("aws key AKIAIOSFODNN7EXAMPLE here") == "aws key [REDACTED:aws-access-key] here");
  }

  TEST_CASE("redact: GitHub token ghp_ + 36 alphanumerics") {
    const std::string tok = "ghp_" + std::string("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
    REQUIRE(tok.size() == 40);
    CHECK(redacted("token is " + tok) == "token is [REDACTED:github-token]");
  }

  TEST_CASE("redact: GitLab personal access token") {
    check_masked("GL glpat-xXyY1234567890abcdEF done", "glpat-xXyY1234567890abcdEF", "GL ", " done");
  }

  TEST_CASE("redact: Slack bot token") {
    check_masked("slack xoxb-1234567890-0987654321-AbCdEfGhIjKl ok", "xoxb-1234567890", "slack ", " ok");
  }

  TEST_CASE("redact: OpenAI project key") {
    const std::string key = "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34";
    CHECK(redacted("OPENAI " + key + " end") == "OPENAI [REDACTED:openai-key] end");
  }

  TEST_CASE("redact: Anthropic key") {
    const std::string key = "sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56";
    const std::string after = redacted("key: " + key);
    CHECK(after == "key: [REDACTED:anthropic-key]");
  }

  TEST_CASE("redact: Authorization: Bearer keeps the header, masks the token") {
    const std::string after = redacted("curl -H 'Authorization: Bearer abc.def.ghi' https://x");
    CHECK(after.find("abc.def.ghi") == std::string::npos);
    CHECK(after.find("Authorization: Bearer [REDACTED:") != std::string::npos);
    CHECK(after.ends_with("' https://x"));
  }

  TEST_CASE("redact: password=, token=, secret=, api_key= parameters keep their name") {
    check_masked("login password=hunter2 now", "hunter2", "login password=", " now");
    check_masked("https://api.example.com/v1?token=abc123xyz&x=1", "abc123xyz",
                 "https://api.example.com/v1?token=", "&x=1");
    check_masked("run with secret=s3cr3tvalue", "s3cr3tvalue", "run with secret=");
    check_masked("call api_key=0123456789abcdef", "0123456789abcdef", "call api_key=");
  }

  TEST_CASE("redact: a private key block is masked whole") {
    const std::string block =
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEpAIBAAKCAQEA1234567890abcdefghij\n"
        "klmnopqrstuvwxyzABCDEFGHIJ0987654321\n"
        "-----END RSA PRIVATE KEY-----";
    CHECK(redacted("key:\n" + block + "\nafter") == "key:\n[REDACTED:private-key]\nafter");
  }

  TEST_CASE("redact: a mysql password is masked when a later word of the command starts with -p") {
    // The rule once reached for the last " -p" of the command, masked what followed it and left
    // the password in clear (fuzz/corpus/redact/mysql-later-p-word).
    check_masked("mysql -u root -pR00tPassw0rd shop -e \"SELECT sku FROM items WHERE tag = ' -promo'\"", "R00tPassw0rd",
                 "mysql -u root -p", " -promo'\"");
  }

  TEST_CASE("redact: environment assignments of secrets keep the variable name") {
    check_masked("AWS_SECRET_ACCESS_KEY=abc123", "abc123", "AWS_SECRET_ACCESS_KEY=");
    check_masked("export GITHUB_TOKEN=xyz && git push", "xyz", "export GITHUB_TOKEN=", " && git push");
    check_masked("DB_PASSWORD=\"quoted secret\" ./run", "quoted secret", "DB_PASSWORD=", " ./run");
  }

  TEST_CASE("redact: the return value says whether something was masked") {
    std::string s = "password=hunter2";
    CHECK(shipped().redact(s));
    std::string t = "nothing to see here";
    CHECK_FALSE(shipped().redact(t));
  }

  TEST_CASE("redact: innocent text is unchanged") {
    for (const std::string text :
         {"git commit -m fix", "3f786850e387550fdab836ed7e6dc881de23001b", "ls -la /home/me/project",
          "the password is stored in the vault", "task-manager-service-instance-0001", "\"max_tokens\": 100",
          "npm install --save-dev typescript", "Bearer of bad news"}) {
      CAPTURE(text);
      std::string s = text;
      CHECK_FALSE(shipped().redact(s));
      CHECK(s == text);
    }
  }

  TEST_CASE("redact: token counts and tokenizer names are not secrets") {
    for (const std::string text : {"python train.py --max_tokens=100", "tokenizer=bert-base"}) {
      CAPTURE(text);
      std::string s = text;
      CHECK_FALSE(shipped().redact(s));
      CHECK(s == text);
    }
  }

  TEST_CASE("redact: lower-case snake_case secret assignments are masked") {
    // secret-assign matches upper-case names only, and secret-param needs a word boundary before
    // "password"/"token", which an underscore prefix does not give.
    check_masked("db_password=hunter2 ./migrate", "hunter2", "db_password=", " ./migrate");
    check_masked("export github_token=xyz123", "xyz123", "export github_token=");
  }

  TEST_CASE("redact(json): values of secret-named keys are masked, other values are kept") {
    json j = {{"password", "hunter2"},
              {"api_key", "k-123"},
              {"user", "bob"},
              {"nested",
               {{"client_secret", "zz"}, {"list", json::array({"ok", "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"})}}},
              {"max_tokens", 100}};
    CHECK(shipped().redact(j));
    CHECK(j["password"] != "hunter2");
    CHECK(j["password"].get<std::string>().rfind("[REDACTED:", 0) == 0);
    CHECK(j["api_key"] != "k-123");
    CHECK(j["nested"]["client_secret"] != "zz");
    CHECK(j["user"] == "bob");
    CHECK(j["max_tokens"] == 100);
    CHECK(j["nested"]["list"][0] == "ok");
    CHECK(j["nested"]["list"][1] == "[REDACTED:github-token]");
  }

  TEST_CASE("redact(json): a tool_input with a secret in a command is masked inside the string") {
    json j = {{"command", "export GITHUB_TOKEN=xyz123 && gh pr list"}, {"timeout", 1000}};
    CHECK(shipped().redact(j));
    CHECK(j["command"].get<std::string>().find("xyz123") == std::string::npos);
    CHECK(j["command"].get<std::string>().find("gh pr list") != std::string::npos);
    CHECK(j["timeout"] == 1000);
  }

  TEST_CASE("redact(json): nothing secret, nothing changed") {
    json j = {{"file_path", "/a/b.txt"}, {"old_string", "x"}, {"n", 3}};
    const json before = j;
    CHECK_FALSE(shipped().redact(j));
    CHECK(j == before);
  }

  TEST_CASE("add_rules: a bad regular expression throws Exit::config naming origin:line") {
    pat::Redactor r;
    const auto err = pat_test::error_of([&] { r.add_rules("# my rules\n\ntext broken (unclosed\n", "my.rules"); });
    CHECK(err.code == pat::Exit::config);
    CHECK(err.message.find("my.rules:3") != std::string::npos);
    CHECK(err.message.find("broken") != std::string::npos);
  }

  TEST_CASE("add_rules: a line that is not KIND NAME REGEX throws Exit::config") {
    pat::Redactor r;
    for (const std::string bad : {"text only-a-name", "blob name x+", "key"}) {
      CAPTURE(bad);
      const auto err = pat_test::error_of([&] { r.add_rules(bad, "u.rules"); });
      CHECK(err.code == pat::Exit::config);
      CHECK(err.message.find("u.rules:1") != std::string::npos);
    }
  }

  TEST_CASE("add_rules: a user rule with a capture group masks only the group") {
    pat::Redactor r;
    r.add_rules("text ticket ticket-id:(\\d+)\n", "user.rules");
    CHECK(r.size() == 1);
    std::string s = "see ticket-id:12345 and ticket-id:678 now";
    CHECK(r.redact(s));
    CHECK(s == "see ticket-id:[REDACTED:ticket] and ticket-id:[REDACTED:ticket] now");
  }

  TEST_CASE("add_rules: entropy>= masks a random value and keeps a plain word in the same position") {
    pat::Redactor r;
    r.add_rules("text deploy-value {deploy} entropy>=3.5 (?i)\\bdeploy_\\w+=(\\S{16,})\n", "user.rules");
    std::string random = "deploy_key=q8Xv2LmN0pRt5sWz";
    CHECK(r.redact(random));
    CHECK(random == "deploy_key=[REDACTED:deploy-value]");
    std::string word = "deploy_target=productionservers";
    CHECK_FALSE(r.redact(word));
    CHECK(word == "deploy_target=productionservers");
  }

  TEST_CASE("add_rules: entropy>= needs a number of bits above 0 and at most 8") {
    for (const std::string line :
         {"text x entropy>= a", "text x entropy>=0 a", "text x entropy>=9 a", "text x entropy>=3.5x a"}) {
      CAPTURE(line);
      pat::Redactor r;
      CHECK_THROWS_AS(r.add_rules(line, "user.rules"), pat::Error);
    }
  }

  TEST_CASE("redact: generic-secret masks random values where a secret's name stands, not words or paths") {
    CHECK(redacted("curl -H 'X-Upstream-Auth: Zk3q9VbW1xT7mN2pLr8s' https://x") ==
          "curl -H 'X-Upstream-Auth: [REDACTED:generic-secret]' https://x");
    CHECK(redacted("signing: 4fQz8LwP2nXk7RvB9tYd") == "signing: [REDACTED:generic-secret]");
    for (const std::string text :
         {"auth_strategy: keep-existing-session", "token_budget=100000000000000000", "\"tokenizer\": \"sentencepiece\"",
          "credentials_file=/home/me/.aws/creds", "private_key_path=keys/prod2/signing.pem"}) {
      CAPTURE(text);
      std::string s = text;
      CHECK_FALSE(shipped().redact(s));
    }
  }

  TEST_CASE("add_rules: a user rule without a group masks the whole match") {
    pat::Redactor r;
    r.add_rules("text internal INT-[0-9]{6}", "user.rules");
    std::string s = "ref INT-123456 done";
    CHECK(r.redact(s));
    CHECK(s == "ref [REDACTED:internal] done");
  }

  TEST_CASE("add_rules: a user key rule masks the values of matching keys") {
    pat::Redactor r;
    r.add_rules("key cookie ^session_cookie$", "user.rules");
    json j = {{"session_cookie", "abcdef"}, {"other_cookie", "keep"}};
    CHECK(r.redact(j));
    CHECK(j["session_cookie"] == "[REDACTED:cookie]");
    CHECK(j["other_cookie"] == "keep");
  }

  TEST_CASE("add_rules: rules added after a redaction take effect") {
    pat::Redactor r;
    r.add_rules("text one AAAA[0-9]+", "a");
    std::string s = "AAAA1234 BBBB5678";
    CHECK(r.redact(s));
    r.add_rules("text two BBBB[0-9]+", "b");
    CHECK(r.redact(s));
    CHECK(s == "[REDACTED:one] [REDACTED:two]");
  }

  TEST_CASE("load_default: an extra rules file is added; a missing one is a config error") {
    pat_test::TempDir dir;
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", std::string(PAT_TEST_DATA) + "/../../share/pattools");
    const auto rules = dir / "extra.rules";
    pat_test::write_file(rules, "text codename PROJECT-(?:ALPHA|OMEGA)\n");
    const pat::Redactor r = pat::Redactor::load_default({rules.string()});
    CHECK(r.size() == shipped().size() + 1);
    std::string s = "working on PROJECT-OMEGA today";
    CHECK(r.redact(s));
    CHECK(s == "working on [REDACTED:codename] today");
    CHECK(pat_test::error_of([&] { pat::Redactor::load_default({(dir / "missing.rules").string()}); }).code ==
          pat::Exit::config);
  }

  TEST_CASE("load_default: the user's config-dir rules are read") {
    pat_test::TempDir dir;
    std::filesystem::create_directories(dir / "pattools");
    pat_test::write_file(dir / "pattools/redact.rules", "text mine MYSECRET-[0-9]+\n");
    pat_test::ScopedEnv cfg("XDG_CONFIG_HOME", dir.path().string());
    pat_test::ScopedEnv data("PAT_DATADIR", std::string(PAT_TEST_DATA) + "/../../share/pattools");
    const pat::Redactor r = pat::Redactor::load_default({});
    std::string s = "value MYSECRET-42 end";
    CHECK(r.redact(s));
    CHECK(s == "value [REDACTED:mine] end");
  }

}  // TEST_SUITE
