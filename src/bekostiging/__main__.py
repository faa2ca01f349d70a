from bekostiging.cli import main

main()
