from newsnlp.cli import main

main()
