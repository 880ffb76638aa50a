from ale.cli import main

main()
