// Process entry: CLI, config load/check, then the Server until shutdown.
//
// Thread affinity: the main thread, which becomes the control thread.
#pragma once

namespace tern::app {

int main(int argc, char** argv);

}  // namespace tern::app
