// The tern executable: everything lives in the tern_app library (lb/app/main.cpp).
#include "lb/app/main.hpp"

int main(int argc, char** argv) {
  return tern::app::main(argc, argv);
}
