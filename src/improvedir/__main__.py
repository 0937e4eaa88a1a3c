from improvedir.launch import main

main()
