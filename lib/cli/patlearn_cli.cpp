#include "cli/patlearn_cli.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>

#include <fmt/format.h>

#include "cli/cli_common.hpp"
#include "learn/import_guard.hpp"
#include "learn/pattern_learner.hpp"
#include "learn/verdict_feedback.hpp"
#include "records/record_reader.hpp"
#include "util/output.hpp"

namespace pat {
namespace {

struct PatlearnOptions {
  std::vector<std::string> files;
  std::string db;
  bool do_export = false;
  std::string import_file;
  bool trust = false;  // --trust: the imported file is the user's own; its evidence counts in full
  std::string rollback;
  double merge_threshold = 0.70;
  LevelThresholds levels;
  std::string rejects;
  bool verbose = false;
  int busy_timeout = 10000;
};

constexpr const char* kDescription =
    "patlearn: merge mistake observations into patterns whose confidence grows with the evidence, and write "
    "the patterns it changed.\n"
    "Reads observation and candidate records from each FILE (- or none: standard input); also reconciles "
    "patcheck's verdicts with the outcome of the calls they judged.";

// The input's valid records, kept in a temporary file until the store is locked: the input may
// be a pipeline still running (the lock must not wait for it), and keeping every record in memory
// would make memory grow with the input instead of with the patterns.
class RecordSpool {
public:
  RecordSpool() : file_(std::tmpfile()) {
    if (!file_) throw Error(Exit::cant_create, fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  }
  ~RecordSpool() { std::fclose(file_); }
  RecordSpool(const RecordSpool&) = delete;
  RecordSpool& operator=(const RecordSpool&) = delete;

  void add(const json& record) {
    const std::string line = dump_json(record) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size())
      throw Error(Exit::io_error, fmt::format("cannot write the temporary file: {}", std::strerror(errno)));
  }

  // Each record, in input order.
  void for_each(const std::function<void(const json&)>& visit) {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
      throw Error(Exit::io_error, fmt::format("cannot read the temporary file back: {}", std::strerror(errno)));
    char* line = nullptr;
    std::size_t capacity = 0;
    ssize_t n;
    while ((n = ::getline(&line, &capacity, file_)) > 0) {
      try {
        visit(json::parse(std::string_view(line, static_cast<std::size_t>(n))));
      } catch (...) {
        std::free(line);
        throw;
      }
    }
    std::free(line);
  }

  std::size_t observations = 0, candidates = 0, patterns = 0;

private:
  std::FILE* file_;
};

// Reads and checks every record; the valid ones go to the spool, the others are reported.
void read_input(const std::vector<std::string>& files, bool patterns_only, RecordReader& reader, RecordSpool& spool) {
  reader.read(files, [&](json& record, const RecordSource&) {
    const auto kind = record.is_object() ? record.value("kind", "") : std::string();
    if (patterns_only) {
      (void)pattern_from_json(record);
      ++spool.patterns;
    } else if (kind == "observation") {
      (void)observation_from_json(record);
      ++spool.observations;
    } else if (kind == "candidate") {
      (void)candidate_from_json(record);
      ++spool.candidates;
    } else {
      throw Error(Exit::data_error,
                  fmt::format("not an observation or candidate record (\"kind\": \"{}\")", kind.empty() ? "?" : kind));
    }
    spool.add(record);
  });
}

void write_patterns(const std::vector<Pattern>& patterns) {
  Output out;
  for (const auto& p : patterns) out.write_line(dump_json(to_json(p)));
  out.flush();
}

LearnOptions learn_options(const PatlearnOptions& o) {
  check_level_order(o.levels);
  LearnOptions lo;
  lo.merge_threshold = o.merge_threshold;
  lo.levels = o.levels;
  return lo;
}

int run(const PatlearnOptions& o, Diagnostics& diag) {
  const fs::path db = o.db.empty() ? default_db_path() : fs::path(o.db);
  std::ofstream rejects = open_rejects_file(o.rejects);
  RecordReader reader(diag, JsonLimits{}, o.rejects.empty() ? nullptr : &rejects);
  RecordSpool in;
  const bool learning = !o.do_export && o.rollback.empty();
  if (!o.import_file.empty())
    read_input({o.import_file}, true, reader, in);
  else if (learning)
    read_input(o.files, false, reader, in);

  const std::unique_ptr<Store> store = Store::open(StoreOptions{db, o.busy_timeout, false});
  UnreadableNote unreadable_note(*store, diag);
  std::vector<Pattern> changed;
  FeedbackStats feedback;
  std::size_t merged = 0, refused = 0;
  try {
    PatternStore patterns(*store);
    if (o.do_export) {
      Output out;
      patterns.for_each([&](const Pattern& p) { out.write_line(dump_json(to_json(p))); });
      out.flush();
      return 0;
    }
    Store::Transaction tx(*store);
    if (!o.rollback.empty()) {
      changed.push_back(patterns.rollback(o.rollback));
    } else {
      PatternLearner learner(patterns, learn_options(o));
      const bool importing = !o.import_file.empty();
      ImportGuard guard(*store);
      in.for_each([&](const json& record) {
        if (importing) {
          Pattern p = pattern_from_json(record);
          if (const auto why = guard.refuse(p)) {
            diag.warning(fmt::format("pattern {} not imported: {}", p.base.id, *why));
            ++refused;
          } else {
            merged += (o.trust ? learner.import(p) : learner.import(discounted(p), kMaxImportedObservations)) ? 1 : 0;
          }
        } else if (record.value("kind", "") == "observation")
          merged += learner.add(observation_from_json(record)) ? 1 : 0;
        else
          patterns.save_candidate(candidate_from_json(record));
      });
      if (o.import_file.empty()) feedback = reconcile_verdicts(*store, learner, o.merge_threshold);
      changed = learner.save();
    }
    tx.commit();
  } catch (const std::exception& e) {
    rethrow_store_error(e, db);
  }
  refresh_check_index(*store, diag);
  write_patterns(changed);
  if (o.verbose) {
    diag.note(fmt::format("{} {} read, {} new to this store; {} patterns changed; {} candidates",
                          in.patterns == 0 ? in.observations : in.patterns,
                          in.patterns == 0 ? "observations" : "patterns", merged, changed.size(), in.candidates));
    if (feedback.verdicts)
      diag.note(fmt::format("{} verdicts: {} false positives, {} confirmed, {} closed without an outcome",
                            feedback.verdicts, feedback.false_positives, feedback.true_positives,
                            feedback.closed_without_outcome));
  }
  // A refused pattern is rejected input, like a malformed record.
  if (refused > 0 && reader.exit_status() == 0) return static_cast<int>(Exit::data_error);
  return reader.exit_status();
}

}  // namespace

int patlearn_main(int argc, char** argv) {
  PatlearnOptions o;
  return run_tool("patlearn", argc, argv, [&]() -> int {
    auto app = make_app("patlearn", kDescription);
    app->add_option("FILE", o.files, "Observation and candidate JSONL to read (- or none: standard input)");
    add_db_option(*app, o.db);
    auto* ex =
        app->add_flag("--export", o.do_export, "Write every pattern (active and archived) as JSONL; change nothing");
    auto* im =
        app->add_option("--import", o.import_file, "Merge the patterns in FILE (JSONL, e.g. another store's --export)")
            ->type_name("FILE");
    auto* rb = app->add_option("--rollback", o.rollback, "Make the previous version of pattern ID current again")
                   ->type_name("ID");
    app->add_flag("--trust", o.trust,
                  "With --import: FILE is your own (a backup, your other machine): its observations and verdicts "
                  "count in full")
        ->needs(im);
    ex->excludes(im)->excludes(rb);
    im->excludes(rb);
    app->add_option("--merge-threshold", o.merge_threshold,
                    "How alike (0-1) template and mistake must both be for an observation to join a pattern")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    add_level_options(*app, o.levels);
    add_rejects_option(*app, o.rejects);
    app->add_flag("-v,--verbose", o.verbose, "Print a summary on standard error");
    add_busy_timeout_option(*app, o.busy_timeout);
    app->footer(
        "Exit status: 0 ok; 64 usage; 65 some input rejected, or --rollback of an unknown pattern or version;\n"
        "66 an input missing; 70 internal error; 73 store cannot be created or written; 74 I/O error;\n"
        "75 store busy; 78 bad config.\n"
        "See patlearn(1), patdetect(1), pattools-records(5).");
    parse_with_config(*app, "patlearn", argc, argv);
    Diagnostics diag("patlearn");
    return run(o, diag);
  });
}

}  // namespace pat
