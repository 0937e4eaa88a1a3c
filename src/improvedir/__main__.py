from improvedir.cli import main

main()
