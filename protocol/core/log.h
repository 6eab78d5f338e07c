// Leveled logging to stderr, one line per record. Thread-safe. The level is set once at
// start-up (before serving); reading it is lock-free.
#pragma once

#include <string>

namespace edastack::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void SetLevel(Level level);
Level GetLevel();
bool ParseLevel(const std::string& text, Level* out);
inline bool Enabled(Level l) { return l >= GetLevel(); }

void Write(Level level, const std::string& message);
inline void Debug(const std::string& m) { if (Enabled(Level::kDebug)) Write(Level::kDebug, m); }
inline void Info(const std::string& m) { if (Enabled(Level::kInfo)) Write(Level::kInfo, m); }
inline void Warn(const std::string& m) { if (Enabled(Level::kWarn)) Write(Level::kWarn, m); }
inline void Error(const std::string& m) { if (Enabled(Level::kError)) Write(Level::kError, m); }

}  // namespace edastack::log
