/* false: exit unsuccessfully. */
int main(void)
{
    return 1;
}
